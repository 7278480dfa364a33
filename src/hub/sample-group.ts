/** The sample's optional parts, selectable with `groups=`; `id`, `timestamp`, `host` are always sent. */
export const SAMPLE_GROUPS = [
  'cpu',
  'memory',
  'disks',
  'diskIo',
  'network',
  'processes',
  'sensors',
  'uptime',
  'container',
  'containers',
  'gpus',
  'self',
] as const;
export type SampleGroup = (typeof SAMPLE_GROUPS)[number];
