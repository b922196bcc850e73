/** Label-based property resolution, value conversion and field maps (pure; no I/O). */
export * from './normalize';
export * from './hubspot-property';
export * from './exact-label';
export * from './fuzzy-rules';
export * from './resolve-label';
export * from './venue-flag';
export * from './hubspot-value';
export * from './field-map';
