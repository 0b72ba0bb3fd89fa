// Measurements: a figure (or a range of figures) followed by a unit symbol → words, with the
// unit's singular after exactly 1 and plural otherwise ("5 km" → "five kilometers", "1 kg" → "one
// kilogram", "20–25°C" → "twenty to twenty-five degrees Celsius", "100 MB/s" → "one hundred
// megabytes per second", "50%" → "fifty percent"). Symbols are matched case-sensitively: "MB" is
// megabytes but "Mb" megabits, and a bare letter is only a unit right after a figure.
import { NUM, numberWords } from './numbers.js';
import type { Rule } from './rewrite.js';

interface Unit {
  one: string;
  many: string;
  /** Only when written straight after the figure ("5in"), since "5 in the box" is not inches. */
  attached?: boolean;
}

/** A unit whose plural just adds "s". */
const u = (one: string, many = `${one}s`): Unit => ({ one, many });

const UNITS: Record<string, Unit> = {
  // Length and area
  km: u('kilometer'), m: u('meter'), cm: u('centimeter'), mm: u('millimeter'), 'µm': u('micrometer'), 'μm': u('micrometer'),
  nm: u('nanometer'), mi: u('mile'), ft: u('foot', 'feet'), yd: u('yard'), in: { ...u('inch', 'inches'), attached: true },
  'km²': u('square kilometer'), 'm²': u('square meter'), 'cm²': u('square centimeter'), 'ft²': u('square foot', 'square feet'),
  'sq ft': u('square foot', 'square feet'), 'sq m': u('square meter'), 'sq mi': u('square mile'), 'sq km': u('square kilometer'),
  'm³': u('cubic meter'), 'cm³': u('cubic centimeter'),
  // Mass and volume
  kg: u('kilogram'), g: u('gram'), mg: u('milligram'), 'µg': u('microgram'), mcg: u('microgram'), lb: u('pound'), lbs: u('pound'),
  oz: u('ounce'), 'fl oz': u('fluid ounce'), tsp: u('teaspoon'), tbsp: u('tablespoon'), Tbsp: u('tablespoon'), tbs: u('tablespoon'),
  qt: u('quart'), L: u('liter'), l: u('liter'), mL: u('milliliter'), ml: u('milliliter'), gal: u('gallon'),
  // Speed
  mph: u('mile per hour', 'miles per hour'), 'km/h': u('kilometer per hour', 'kilometers per hour'),
  kph: u('kilometer per hour', 'kilometers per hour'), 'm/s': u('meter per second', 'meters per second'),
  mpg: u('mile per gallon', 'miles per gallon'), rpm: u('R-P-M', 'R-P-M'), fps: u('frame per second', 'frames per second'),
  // Temperature and angle
  '°C': u('degree Celsius', 'degrees Celsius'), '°F': u('degree Fahrenheit', 'degrees Fahrenheit'),
  'ºC': u('degree Celsius', 'degrees Celsius'), 'ºF': u('degree Fahrenheit', 'degrees Fahrenheit'), '°': u('degree'), 'º': u('degree'),
  // Data
  KB: u('kilobyte'), kB: u('kilobyte'), MB: u('megabyte'), GB: u('gigabyte'), TB: u('terabyte'), PB: u('petabyte'),
  kb: u('kilobyte'), mb: u('megabyte'), gb: u('gigabyte'), tb: u('terabyte'),
  KiB: u('kibibyte'), MiB: u('mebibyte'), GiB: u('gibibyte'), TiB: u('tebibyte'),
  Kb: u('kilobit'), Mb: u('megabit'), Gb: u('gigabit'),
  kbps: u('kilobit per second', 'kilobits per second'), Kbps: u('kilobit per second', 'kilobits per second'),
  Mbps: u('megabit per second', 'megabits per second'), Gbps: u('gigabit per second', 'gigabits per second'),
  // Frequency, electricity, energy
  Hz: u('hertz', 'hertz'), kHz: u('kilohertz', 'kilohertz'), MHz: u('megahertz', 'megahertz'), GHz: u('gigahertz', 'gigahertz'),
  W: u('watt'), kW: u('kilowatt'), MW: u('megawatt'), GW: u('gigawatt'), Wh: u('watt hour'), kWh: u('kilowatt hour'),
  V: u('volt'), kV: u('kilovolt'), mA: u('milliamp'), mAh: u('milliamp hour'), cal: u('calorie'), kcal: u('kilocalorie'),
  dB: u('decibel'),
  // Time
  ns: u('nanosecond'), 'µs': u('microsecond'), 'μs': u('microsecond'), ms: u('millisecond'), s: u('second'), sec: u('second'),
  secs: u('second'), min: u('minute'), mins: u('minute'), h: u('hour'), hr: u('hour'), hrs: u('hour'), wk: u('week'), wks: u('week'),
  yr: u('year'), yrs: u('year'),
  // Screen and type
  px: u('pixel'), pt: u('point'),
  // Ratio
  '%': u('percent', 'percent'),
};

/** What can follow "per" in "MB/s", "$5/month". */
export const PER: Record<string, string> = {
  s: 'second', sec: 'second', ms: 'millisecond', min: 'minute', h: 'hour', hr: 'hour', hour: 'hour', d: 'day', day: 'day',
  wk: 'week', week: 'week', mo: 'month', month: 'month', yr: 'year', year: 'year', kg: 'kilogram', g: 'gram', lb: 'pound',
  oz: 'ounce', L: 'liter', l: 'liter', km: 'kilometer', m: 'meter', mi: 'mile', gal: 'gallon', ft: 'foot', 'sq ft': 'square foot',
  person: 'person', user: 'user', unit: 'unit', night: 'night', head: 'head', seat: 'seat', item: 'item',
};

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const alternation = (keys: string[]): string => keys.sort((a, b) => b.length - a.length).map(escape).join('|');

const SPACED = alternation(Object.keys(UNITS).filter((k) => !UNITS[k]!.attached));
const ATTACHED = alternation(Object.keys(UNITS).filter((k) => UNITS[k]!.attached));
/** Alternation of the words allowed after "/" in a rate. */
export const PER_SOURCE = alternation(Object.keys(PER));

/** Lookahead source: a unit symbol follows (used by other rules to leave measurements alone). */
export const UNIT_FOLLOWS = String.raw`(?: ?(?:${SPACED})|(?:${ATTACHED}))(?![\w°])`;

const SIGN = '[-−]';
const RANGE = String.raw` ?(?:-|–|—|to) ?`;

/** Reads a signed figure. */
function signed(sign: string | undefined, figure: string): string {
  return (sign ? 'minus ' : '') + numberWords(figure);
}

export const UNIT_RULES: readonly Rule[] = [
  {
    // Round figures in the plural are amounts, not seconds: "100s of people" → "hundreds of people".
    re: /(?<![\w.,])(?:1(0{2,3}|,000|000,000|,000,000))s\b/g,
    to: (m) => ({ '00': 'hundreds', '000': 'thousands', ',000': 'thousands' })[m[1]!] ?? 'millions',
  },
  {
    // Feet and inches written with primes: 5'10" → five feet ten inches.
    re: /(?<![\w.])(\d+)['′](\d{1,2})(?:"|″|'')/g,
    to: (m) => `${numberWords(m[1]!)} ${m[1] === '1' ? 'foot' : 'feet'} ${numberWords(m[2]!)} ${m[2] === '1' ? 'inch' : 'inches'}`,
  },
  {
    // figure [range figure] unit [/ per-unit]; an abbreviation's period before a lowercase word
    // goes too ("2 tsp. salt"), so it cannot end the sentence.
    re: new RegExp(
      String.raw`(?<![\w.,])(${SIGN})?(${NUM})(?:(${RANGE})(${SIGN})?(${NUM}))?(?: ?(${SPACED})|(${ATTACHED}))(?:/(${PER_SOURCE}))?(?![\w°])(?:\.(?= [a-z]))?`,
      'g',
    ),
    to: (m) => {
      const [, sign1, fig1, range, sign2, fig2, spaced, attached, per] = m;
      const unit = UNITS[(spaced ?? attached)!]!;
      const single = !range && fig1!.replace(/,/g, '') === '1';
      let words = signed(sign1, fig1!);
      if (range) words += ` to ${signed(sign2, fig2!)}`;
      words += ` ${single ? unit.one : unit.many}`;
      if (per) words += ` per ${PER[per]}`;
      return words;
    },
  },
];
