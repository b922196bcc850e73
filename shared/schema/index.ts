/** Label-based property resolution, value conversion and field maps (pure; no I/O). */
export * from './normalize';
export * from './hubspot-property';
export * from './resolve-label';
export * from './hubspot-value';
export * from './field-map';
