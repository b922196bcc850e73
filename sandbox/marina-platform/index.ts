export {
  MarinaPlatformSimulator,
  MAX_VESSEL_MAKE,
  type MarinaEnquiry,
  type MarinaPlatformOptions,
} from './simulator';
