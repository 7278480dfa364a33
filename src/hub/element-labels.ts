/**
 * The labels that tell the elements of the sample's lists apart (a core, a load window, a
 * mount, an interface, a process): the only label names an alert can carry, and Prometheus's
 * fixed label set for them.
 */
export const ELEMENT_LABELS = ['core', 'window', 'mount', 'iface', 'pid', 'name'] as const;
