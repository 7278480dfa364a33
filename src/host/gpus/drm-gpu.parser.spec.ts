import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  gpuName,
  isRuntimeSuspended,
  parseDpmLevels,
  parsePciHexId,
  parseSysfsInteger,
  parseUevent,
  pciIdFromUevent,
  pickTemperature,
  scanPciIds,
} from './drm-gpu.parser.js';

// Texts as the drivers write them; where they come from: test/fixtures/drm/README.md.
const PCI_IDS = fileURLToPath(new URL('../../../test/fixtures/drm/pci.ids', import.meta.url));

describe('parseSysfsInteger', () => {
  it('should read the number when the file holds one line with an integer', () => {
    expect(parseSysfsInteger('44000\n')).toBe(44000);
    expect(parseSysfsInteger('-273150\n')).toBe(-273150);
  });

  it('should give null when the file holds anything else', () => {
    expect(parseSysfsInteger('')).toBeNull();
    expect(parseSysfsInteger('\n')).toBeNull();
    expect(parseSysfsInteger('N/A\n')).toBeNull();
    expect(parseSysfsInteger('12.5\n')).toBeNull();
    expect(parseSysfsInteger('4 garbage\n')).toBeNull();
  });
});

describe('parsePciHexId', () => {
  it('should give four lower-case hex digits when the file holds a PCI id', () => {
    expect(parsePciHexId('0x1002\n')).toBe('1002');
    expect(parsePciHexId('0x73BF\n')).toBe('73bf');
  });

  it('should give null when the file holds something else', () => {
    expect(parsePciHexId('garbage\n')).toBeNull();
    expect(parsePciHexId('0x10\n')).toBeNull();
  });
});

describe('pciIdFromUevent', () => {
  it('should read PCI_ID when the uevent is a PCI device', () => {
    // procfs's fixtures.ttar, sys/class/drm/card1/device/uevent.
    const uevent = parseUevent(
      'DRIVER=i915\nPCI_CLASS=30000\nPCI_ID=8086:5917\nPCI_SUBSYS_ID=17AA:2258\n' +
        'PCI_SLOT_NAME=0000:00:02.0\nMODALIAS=pci:v00008086d00005917sv000017AAsd00002258bc03sc00i00\n',
    );

    expect(uevent.get('DRIVER')).toBe('i915');
    expect(pciIdFromUevent(uevent)).toEqual({ vendor: '8086', device: '5917' });
  });

  it('should give null when the uevent has no PCI_ID', () => {
    expect(
      pciIdFromUevent(parseUevent('DRIVER=virtio_gpu\nMODALIAS=virtio:d00000010v00001AF4\n')),
    ).toBeNull();
  });
});

describe('parseDpmLevels', () => {
  it('should give the starred level and the highest when a level is current', () => {
    // procfs's fixtures.ttar (Vega 10): trailing spaces after the unstarred levels.
    const vega =
      '0: 852Mhz *\n1: 991Mhz \n2: 1084Mhz \n3: 1138Mhz \n4: 1200Mhz \n5: 1401Mhz \n' +
      '6: 1536Mhz \n7: 1630Mhz \n';

    expect(parseDpmLevels(vega)).toEqual({ currentMHz: 852, maxMHz: 1630 });
  });

  it('should give the middle level as current when RDNA reports the clock between its levels', () => {
    // amdgpu-sysfs-rs tests/data/rx7800xt: idle in GFXOFF, 0 MHz.
    expect(parseDpmLevels('0: 500Mhz\n1: 0Mhz *\n2: 2124Mhz\n')).toEqual({
      currentMHz: 0,
      maxMHz: 2124,
    });
  });

  it('should take a lettered level when the GPU is in deep sleep', () => {
    // The form smu_v13_0_6_ppt.c prints below its deep-sleep threshold: "S: %uMhz *".
    expect(parseDpmLevels('S: 19Mhz *\n0: 500Mhz\n1: 2124Mhz\n')).toEqual({
      currentMHz: 19,
      maxMHz: 2124,
    });
  });

  it('should give no current level when no line is starred', () => {
    expect(parseDpmLevels('0: 500Mhz \n1: 2660Mhz \n')).toEqual({ currentMHz: null, maxMHz: 2660 });
  });

  it('should give nothing when the file holds garbage', () => {
    expect(parseDpmLevels('garbage\n')).toEqual({ currentMHz: null, maxMHz: null });
    expect(parseDpmLevels('')).toEqual({ currentMHz: null, maxMHz: null });
  });
});

describe('isRuntimeSuspended', () => {
  it('should say so when the device is suspended or suspending', () => {
    expect(isRuntimeSuspended('suspended\n')).toBe(true);
    expect(isRuntimeSuspended('suspending\n')).toBe(true);
  });

  it('should say no when the device is active or has no runtime PM', () => {
    expect(isRuntimeSuspended('active\n')).toBe(false);
    expect(isRuntimeSuspended('unsupported\n')).toBe(false);
  });
});

describe('pickTemperature', () => {
  it('should pick edge when amdgpu labels edge, junction and mem', () => {
    const channels = [
      { index: 1, label: 'edge' },
      { index: 2, label: 'junction' },
      { index: 3, label: 'mem' },
    ];

    expect(pickTemperature(channels, ['edge', 'junction'])).toBe(1);
  });

  it('should pick junction when there is no edge', () => {
    const channels = [
      { index: 2, label: 'junction' },
      { index: 3, label: 'mem' },
    ];

    expect(pickTemperature(channels, ['edge', 'junction'])).toBe(2);
  });

  it('should pick the package when xe labels pkg and vram', () => {
    const channels = [
      { index: 3, label: 'vram' },
      { index: 2, label: 'pkg' },
    ];

    expect(pickTemperature(channels, ['pkg'])).toBe(2);
  });

  it('should pick the lowest channel not a memory when no label is preferred', () => {
    expect(pickTemperature([{ index: 1, label: null }], ['pkg'])).toBe(1);
    expect(
      pickTemperature(
        [
          { index: 3, label: 'vram' },
          { index: 4, label: null },
        ],
        ['pkg'],
      ),
    ).toBe(4);
  });

  it('should pick none when only memory is measured', () => {
    expect(pickTemperature([{ index: 3, label: 'mem' }], ['edge', 'junction'])).toBeNull();
  });
});

describe('scanPciIds', () => {
  const lines = readFileSync(PCI_IDS, 'utf8').split('\n');

  it('should name the wanted devices when their vendors are in the database', async () => {
    const names = await scanPciIds(lines, [
      { vendor: '1002', device: '67df' },
      { vendor: '8086', device: '56a0' },
      { vendor: '8086', device: 'ffff' },
    ]);

    expect(names).toEqual(
      new Map([
        ['1002:67df', 'Ellesmere [Radeon RX 470/480/570/570X/580/580X/590]'],
        ['8086:56a0', 'DG2 [Arc A770]'],
      ]),
    );
  });

  it('should stop reading when it is past the last wanted vendor', async () => {
    let read = 0;
    function* counted(): Generator<string> {
      for (const line of lines) {
        read += 1;
        yield line;
      }
    }

    const names = await scanPciIds(counted(), [{ vendor: '1002', device: '73bf' }]);

    expect(names.get('1002:73bf')).toBe('Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]');
    // Up to "10de  NVIDIA Corporation", the first vendor after AMD's.
    expect(read).toBe(lines.indexOf('10de  NVIDIA Corporation') + 1);
  });
});

describe('gpuName', () => {
  it('should use the product name when the board has one', () => {
    expect(gpuName('amd', 'AMD Instinct MI210', 'Aldebaran/MI200 [Instinct MI210]', null)).toBe(
      'AMD Instinct MI210',
    );
  });

  it("should use the database's marketing name when the device name has one in brackets", () => {
    const id = { vendor: '1002', device: '73bf' };

    expect(gpuName('amd', null, 'Navi 21 [Radeon RX 6800/6800 XT / 6900 XT]', id)).toBe(
      'AMD Radeon RX 6800/6800 XT / 6900 XT',
    );
    expect(gpuName('intel', null, 'Meteor Lake-P [Intel Arc Graphics]', id)).toBe(
      'Intel Arc Graphics',
    );
    expect(gpuName('amd', null, 'Phoenix1', id)).toBe('AMD Phoenix1');
  });

  it('should name the ids when the database does not know the device', () => {
    expect(gpuName('amd', null, null, { vendor: '1002', device: '73bf' })).toBe(
      'AMD GPU [1002:73bf]',
    );
    expect(gpuName('intel', null, null, null)).toBe('Intel GPU');
  });
});
