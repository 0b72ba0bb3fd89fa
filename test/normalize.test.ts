// Table-driven tests of the English reading rules in src/engine/text/normalize.ts: one assertion
// per [input, expected] case, grouped by category, plus checks that sentence-ending periods
// survive and abbreviation periods do not make the splitter cut a sentence in two.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normalizeText } from '../src/engine/text/normalize.js';
import { splitSentences } from '../src/engine/text/split.js';

type Case = readonly [input: string, expected: string];

const CASES: Record<string, readonly Case[]> = {
  cardinals: [
    ['There are 0 items.', 'There are zero items.'],
    ['I counted 12 sheep.', 'I counted twelve sheep.'],
    ['She is 47.', 'She is forty-seven.'],
    ['It has 101 pages.', 'It has one hundred one pages.'],
    ['About 1,234 people.', 'About one thousand two hundred thirty-four people.'],
    ['1,234,567', 'one million two hundred thirty-four thousand five hundred sixty-seven'],
    ['The city has 8,500,000 residents.', 'The city has eight million five hundred thousand residents.'],
    ['It costs 1000000 points.', 'It costs one million points.'],
    ['A budget of 3,000,000,000,000', 'A budget of three trillion'],
    ['1999 apples', 'one thousand nine hundred ninety-nine apples'],
    ['Agent 007 arrived.', 'Agent zero zero seven arrived.'],
    ['Buy 2, get 1 free!', 'Buy two, get one free!'],
    ['100s of people', 'hundreds of people'],
  ],
  ordinals: [
    ['We finished 1st.', 'We finished first.'],
    ['He came 2nd.', 'He came second.'],
    ['the 3rd time', 'the third time'],
    ['the 4th of them', 'the fourth of them'],
    ['her 21st birthday', 'her twenty-first birthday'],
    ['the 101st Airborne', 'the one hundred first Airborne'],
    ['the 12th man', 'the twelfth man'],
    ['the 1,000th visitor', 'the one thousandth visitor'],
    ['The 22nd and 23rd', 'The twenty-second and twenty-third'],
  ],
  decimals: [
    ['Pi is 3.14.', 'Pi is three point one four.'],
    ['about 0.5 liters', 'about zero point five liters'],
    ['.25', 'point two five'],
    ['2.50', 'two point five zero'],
    ['3.0', 'three point zero'],
    ['1,234.56', 'one thousand two hundred thirty-four point five six'],
  ],
  negatives: [
    ['It was -5 outside.', 'It was minus five outside.'],
    ['It fell to −12.', 'It fell to minus twelve.'],
    ['from -3 to -7', 'from minus three to minus seven'],
    ['a -0.5 change', 'a minus zero point five change'],
    ['-5°C', 'minus five degrees Celsius'],
    ['-$20', 'minus twenty dollars'],
    ['10 − 4', 'ten minus four'],
  ],
  ranges: [
    ['5-10', 'five to ten'],
    ['Pages 5-10.', 'Pages five to ten.'],
    ['Ages 18–25.', 'Ages eighteen to twenty-five.'],
    ['1990–1995', 'nineteen ninety to nineteen ninety-five'],
    ['1990-95', 'nineteen ninety to ninety-five'],
    ['5-10 minutes', 'five to ten minutes'],
    ['The score was 3-2.', 'The score was three to two.'],
    ['3 - 2 = 1', 'three minus two equals one'],
  ],
  currency: [
    ['$5.20', 'five dollars and twenty cents'],
    ['$1', 'one dollar'],
    ['$0.99', 'ninety-nine cents'],
    ['€3.50', 'three euros and fifty cents'],
    ['£2', 'two pounds'],
    ['$1.5 million', 'one point five million dollars'],
    ['$1,000', 'one thousand dollars'],
    ['$1.01', 'one dollar and one cent'],
    ['£2.50', 'two pounds and fifty pence'],
    ['€1', 'one euro'],
    ['¥500', 'five hundred yen'],
    ['$50k', 'fifty thousand dollars'],
    ['$3 billion', 'three billion dollars'],
    ['$5-10', 'five to ten dollars'],
    ['$5/month', 'five dollars per month'],
    ['5 €', 'five euros'],
    ['99¢', 'ninety-nine cents'],
    ['20 USD', 'twenty U-S dollars'],
    ['US$10', 'ten U-S dollars'],
    ['The iPhone 15 Pro costs $999.', 'The iPhone fifteen Pro costs nine hundred ninety-nine dollars.'],
  ],
  percentages: [
    ['50%', 'fifty percent'],
    ['3.5%', 'three point five percent'],
    ['100%', 'one hundred percent'],
    ['a 5-10% rise', 'a five to ten percent rise'],
    ['-2%', 'minus two percent'],
    ['0.1%', 'zero point one percent'],
    ['50 %', 'fifty percent'],
  ],
  dates: [
    ['3/12/2025', 'March twelfth, twenty twenty-five'],
    ['12/31/1999', 'December thirty-first, nineteen ninety-nine'],
    ['He was born on 7/4/1976.', 'He was born on July fourth, nineteen seventy-six.'],
    ['25/12/2025', 'December twenty-fifth, twenty twenty-five'],
    ['2025-03-12', 'March twelfth, twenty twenty-five'],
    ['2025-03-12T14:30', 'March twelfth, twenty twenty-five, at fourteen thirty'],
    ['12.03.2025', 'March twelfth, twenty twenty-five'],
    ['March 3', 'March third'],
    ['July 4th', 'July fourth'],
    ['March 3, 2025', 'March third, twenty twenty-five'],
    ['Jan. 1, 2000', 'January first, two thousand'],
    ['Dec. 25', 'December twenty-fifth'],
    ['3 March 2025', 'the third of March, twenty twenty-five'],
    ['the 4th of July', 'the fourth of July'],
    ['September 2001', 'September two thousand one'],
    ['due 3/15', 'due March fifteenth'],
    ['after 9/11', 'after nine eleven'],
  ],
  times: [
    ['3:30', 'three thirty'],
    ['3:05 pm', 'three oh five P-M'],
    ['12:00', "twelve o'clock"],
    ['14:45', 'fourteen forty-five'],
    ['14:00', 'fourteen hundred'],
    ['7:00 AM', 'seven A-M'],
    ['at 9am', 'at nine A-M'],
    ['The meeting is at 3pm.', 'The meeting is at three P-M.'],
    ["It's 10:30 a.m. on Monday.", "It's ten thirty A-M on Monday."],
    ['9am-5pm', 'nine A-M to five P-M'],
    ['9:00-17:00', "nine o'clock to seventeen hundred"],
    ['3:30:15', 'three thirty and fifteen seconds'],
    ['00:00', 'midnight'],
  ],
  years: [
    ['in 1999', 'in nineteen ninety-nine'],
    ['since 2005', 'since two thousand five'],
    ['by 2025', 'by twenty twenty-five'],
    ['in 1900', 'in nineteen hundred'],
    ['in 1066', 'in ten sixty-six'],
    ['until 2010', 'until twenty ten'],
    ['circa 1500', 'circa fifteen hundred'],
    ['In 1999, we moved.', 'In nineteen ninety-nine, we moved.'],
    ['the summer of 1969', 'the summer of nineteen sixty-nine'],
    ['between 1990 and 2000', 'between nineteen ninety and two thousand'],
    ['Blade Runner (1982) is a film.', 'Blade Runner (nineteen eighty-two) is a film.'],
    ['1999 was a good year.', 'nineteen ninety-nine was a good year.'],
    ['1066 AD', 'ten sixty-six A-D'],
    ['500 BC', 'five hundred B-C'],
    ['the 1990s', 'the nineteen nineties'],
    ['the 1800s', 'the eighteen hundreds'],
    ["the '90s", 'the nineties'],
    ['in her 20s', 'in her twenties'],
    ['The year 2000 problem', 'The year two thousand problem'],
    ['Q3 2025 results', 'Q three twenty twenty-five results'],
  ],
  phones: [
    ['555-123-4567', 'five five five, one two three, four five six seven'],
    ['(555) 123-4567', 'five five five, one two three, four five six seven'],
    ['+1 555 123 4567', 'plus one, five five five, one two three, four five six seven'],
    ['555.123.4567', 'five five five, one two three, four five six seven'],
    ['1-800-555-1234', 'one, eight hundred, five five five, one two three four'],
    ['Call 555-1234.', 'Call five five five, one two three four.'],
    ['+44 20 7946 0958', 'plus four four, two zero, seven nine four six, zero nine five eight'],
    ['Phone: (212) 555-0100 ext. 12', 'Phone: two one two, five five five, zero one zero zero extension one two'],
  ],
  abbreviations: [
    ['Dr. Smith arrived.', 'Doctor Smith arrived.'],
    ['Mr. Jones left.', 'Mister Jones left.'],
    ['Mrs. Brown called.', 'Missus Brown called.'],
    ['Ms. Lee spoke.', 'Miz Lee spoke.'],
    ['Prof. Xavier', 'Professor Xavier'],
    ['St. Louis', 'Saint Louis'],
    ['Visit St. Paul\'s Cathedral.', "Visit Saint Paul's Cathedral."],
    ['I live on Oak St.', 'I live on Oak Street.'],
    ['123 Main St. in Boston.', 'one hundred twenty-three Main Street in Boston.'],
    ['He lives on Elm Dr. Then he moved.', 'He lives on Elm Drive. Then he moved.'],
    ['5th Ave.', 'fifth Avenue.'],
    ['John Smith Jr.', 'John Smith Junior.'],
    ['Martin Luther King Jr. Day', 'Martin Luther King Junior Day'],
    ['cats vs. dogs', 'cats versus dogs'],
    ['Apples, pears, etc.', 'Apples, pears, et cetera.'],
    ['Apples, pears, etc., are fruit.', 'Apples, pears, et cetera, are fruit.'],
    ['Use e.g. apples, i.e. fruit.', 'Use for example apples, that is fruit.'],
    ['E.g. this one.', 'For example this one.'],
    ['approx. 10', 'approximately ten'],
    ['No. 5 is best.', 'Number five is best.'],
    ["No. I won't.", "No. I won't."],
    ['See pp. 10-12.', 'See pages ten to twelve.'],
    ['Acme Inc. was founded.', 'Acme Incorporated was founded.'],
    ['She has a Ph.D. in physics.', 'She has a P-H-D in physics.'],
    ['John F. Kennedy was president.', 'John F Kennedy was president.'],
    ['J. K. Rowling wrote it.', 'J K Rowling wrote it.'],
    ['Open Mon. to Fri., 9 to 5.', 'Open Monday to Friday, nine to five.'],
    ['See you Tue. Then Wed.', 'See you Tuesday. Then Wednesday.'],
    ['Closed Sat. and Sun.', 'Closed Saturday and Sunday.'],
    ['Hours: Mon-Fri 9-5', 'Hours: Monday-Friday nine to five'],
    ['Thurs. 3 pm', 'Thursday three P-M'],
    ['We looked at the Sun. It was hot.', 'We looked at the Sun. It was hot.'],
    ['The Sun and the Moon', 'The Sun and the Moon'],
  ],
  units: [
    ['5 km', 'five kilometers'],
    ['10 kg', 'ten kilograms'],
    ['1 kg', 'one kilogram'],
    ['3 ft', 'three feet'],
    ['1 ft', 'one foot'],
    ['60 mph', 'sixty miles per hour'],
    ['5 GB', 'five gigabytes'],
    ['100 MB/s', 'one hundred megabytes per second'],
    ['20°C', 'twenty degrees Celsius'],
    ['72°F', 'seventy-two degrees Fahrenheit'],
    ['20-25°C', 'twenty to twenty-five degrees Celsius'],
    ['5 ms', 'five milliseconds'],
    ['2.5 h', 'two point five hours'],
    ['500 mg', 'five hundred milligrams'],
    ['3 GHz', 'three gigahertz'],
    ['90°', 'ninety degrees'],
    ['Speed: 120 km/h.', 'Speed: one hundred twenty kilometers per hour.'],
    ['12in', 'twelve inches'],
    ['5\'10"', 'five feet ten inches'],
    ['10 sq ft', 'ten square feet'],
    ['Add 2 tsp of salt.', 'Add two teaspoons of salt.'],
    ['1 tbsp sugar and 1 tsp. vanilla', 'one tablespoon sugar and one teaspoon vanilla'],
    ['3 Tbsp butter, 2 qt milk', 'three tablespoons butter, two quarts milk'],
  ],
  symbols: [
    ['Salt & pepper', 'Salt and pepper'],
    ['R&D', 'R and D'],
    ['Email me @ home', 'Email me at home'],
    ['5 + 3', 'five plus three'],
    ['x = 5', 'x equals five'],
    ['#1 fan', 'number one fan'],
    ["We're #2.", "We're number two."],
    ['#blessed', 'hashtag blessed'],
    ['3 × 4 = 12', 'three times four equals twelve'],
    ['2x4 lumber', 'two by four lumber'],
    ['10 x 20 ft', 'ten by twenty feet'],
    ['2x faster', 'two times faster'],
    ['C++ and C#', 'C plus plus and C sharp'],
    ['±5', 'plus or minus five'],
    ['~10 minutes', 'about ten minutes'],
    ['1½ cups', 'one and a half cups'],
  ],
  urls: [
    ['https://example.com/path', 'example dot com slash path'],
    ['www.google.com', 'google dot com'],
    ['Go to example.com now.', 'Go to example dot com now.'],
    ['See github.com/user/repo.', 'See github dot com slash user slash repo.'],
    ['http://www.example.org/a-b/c_d?x=1', 'example dot org slash a dash b slash c underscore d question mark x equals one'],
    ['https://docs.example.io/v2/guide#setup', 'docs dot example dot io slash v two slash guide hash setup'],
    ['Visit https://example.com/path. It is great.', 'Visit example dot com slash path. It is great.'],
  ],
  emails: [
    ['jane.doe@example.com', 'jane dot doe at example dot com'],
    ['Write to info@acme.co.uk today.', 'Write to info at acme dot co dot uk today.'],
    ['bob+tag@mail.com', 'bob plus tag at mail dot com'],
    ['john_smith99@mail.example.org', 'john underscore smith ninety-nine at mail dot example dot org'],
    ['Email first-last@corp.net.', 'Email first dash last at corp dot net.'],
    ['support@example.io', 'support at example dot io'],
  ],
  acronyms: [
    ['FBI', 'F-B-I'],
    ['API', 'A-P-I'],
    ['URL', 'U-R-L'],
    ['NASA', 'Nasa'],
    ['NATO', 'Nato'],
    ['SCUBA', 'Scuba'],
    ['RAM', 'Ram'],
    ['GIF', 'Gif'],
    ['APIs', "A-P-I's"],
    ['the IT team', 'the I-T team'],
    ['HTML and CSS', 'H-T-M-L and C-S-S'],
    ['The WHO said so.', 'The W-H-O said so.'],
    ['THE FBI IS HERE', 'The F-B-I is here'],
    ["I CAN'T BELIEVE IT", "I can't believe it"],
    ['STOP doing that.', 'Stop doing that.'],
    ["OK, let's go.", "Okay, let's go."],
    ['He lives in the U.S. now.', 'He lives in the U-S now.'],
    ['World War II', 'World War two'],
    ['Henry VIII', 'Henry the eighth'],
  ],
  alphanumerics: [
    ['COVID-19', 'Covid nineteen'],
    ['MP3', 'M-P three'],
    ['4K', 'four K'],
    ['1080p', 'ten eighty P'],
    ['720p', 'seven twenty P'],
    ['H1N1', 'H one N one'],
    ['Y2K', 'Y two K'],
    ['5G network', 'five G network'],
    ['3D', 'three D'],
    ['F-16', 'F sixteen'],
    ['x86', 'X eighty-six'],
    ['PS5', 'P-S five'],
    ['RTX4090', 'R-T-X forty ninety'],
    ['A4 paper', 'A-four paper'],
    ['iPhone15', 'iPhone fifteen'],
    ['v2.1', 'version two point one'],
    ['He lives at 221B Baker Street.', 'He lives at two hundred twenty-one B Baker Street.'],
    ['Flat 4B', 'Flat four B'],
    ['It costs 5B dollars.', 'It costs five billion dollars.'],
    ['3.5B people', 'three point five billion people'],
    ['2M downloads', 'two million downloads'],
    ['We raised 50k.', 'We raised fifty thousand.'],
  ],
  'fractions, ratios, versions': [
    ['1/2', 'one half'],
    ['3/4', 'three quarters'],
    ['2/3', 'two thirds'],
    ['5/8', 'five eighths'],
    ['8/10', 'eight out of ten'],
    ['1 1/2', 'one and one half'],
    ["It's 50/50.", "It's fifty-fifty."],
    ['16:9', 'sixteen to nine'],
    ['version 2.0.1', 'version two point zero point one'],
    ['192.168.0.1', 'one hundred ninety-two dot one hundred sixty-eight dot zero dot one'],
  ],
  sentences: [
    ['It costs $5.20 on 3/12/2025.', 'It costs five dollars and twenty cents on March twelfth, twenty twenty-five.'],
    ['Dr. Smith arrived at 3:30 pm with 2 kg of apples.', 'Doctor Smith arrived at three thirty P-M with two kilograms of apples.'],
    [
      "On 2025-03-12 the FBI paid $1.5 million for 50% of NASA's data.",
      "On March twelfth, twenty twenty-five the F-B-I paid one point five million dollars for fifty percent of Nasa's data.",
    ],
    [
      'Call (555) 123-4567 or email jane.doe@example.com before March 3.',
      'Call five five five, one two three, four five six seven or email jane dot doe at example dot com before March third.',
    ],
    [
      'In 1999, 1,200 people ran 5 km in 20°C heat.',
      'In nineteen ninety-nine, one thousand two hundred people ran five kilometers in twenty degrees Celsius heat.',
    ],
    ['The U.S. team won 3-2 vs. Canada on Jan. 5, 2024.', 'The U-S team won three to two versus Canada on January fifth, twenty twenty-four.'],
    ["Mr. Lee's 1st car cost £2,500 in the 1990s.", "Mister Lee's first car cost two thousand five hundred pounds in the nineteen nineties."],
    [
      'Visit https://example.com/path for 10% off, e.g. on MP3 players.',
      'Visit example dot com slash path for ten percent off, for example on M-P three players.',
    ],
    ['The API returned 404 errors at 14:45.', 'The A-P-I returned four hundred four errors at fourteen forty-five.'],
  ],
  'plain text is kept': [
    ['Hello world.', 'Hello world.'],
    ['May I help you? In May we go.', 'May I help you? In May we go.'],
    ['A cat sat on a mat.', 'A cat sat on a mat.'],
    ["I think it's fine; don't worry!", "I think it's fine; don't worry!"],
    ["She said \u201chi\u201d and left\u2026", "She said \u201chi\u201d and left\u2026"],
    ['  Hello\t\tworld...  \r\n\r\n  Bye\u0007 ', 'Hello world…\nBye'],
  ],
};

for (const [category, cases] of Object.entries(CASES)) {
  test(`reads ${category}`, () => {
    for (const [input, expected] of cases) {
      assert.is(normalizeText(input), expected, `normalizeText(${JSON.stringify(input)})`);
    }
  });
}

test('the table covers every category with at least six cases, and no output keeps a digit', () => {
  for (const [category, cases] of Object.entries(CASES)) {
    assert.ok(cases.length >= 6, `${category} has ${cases.length} cases`);
    for (const [input] of cases) assert.not.match(normalizeText(input), /\d/, `digits left in ${JSON.stringify(input)}`);
  }
  const total = Object.values(CASES).reduce((n, cases) => n + cases.length, 0);
  assert.ok(total >= 150, `${total} cases`);
});

// Each input is [text, the sentences the splitter must find after normalization].
const SENTENCE_CASES: readonly (readonly [string, readonly string[]])[] = [
  ['Dr. Smith arrived.', ['Doctor Smith arrived.']],
  ['U.S. troops landed.', ['U-S troops landed.']],
  ['Dr. Smith arrived. He was late.', ['Doctor Smith arrived.', 'He was late.']],
  ['U.S. troops landed in the U.K. The war ended.', ['U-S troops landed in the U-K.', 'The war ended.']],
  ['Mr. and Mrs. Smith live at 123 Main St. in Springfield.', ['Mister and Missus Smith live at one hundred twenty-three Main Street in Springfield.']],
  ['I work for Acme Inc. We make things.', ['I work for Acme Incorporated.', 'We make things.']],
  ['We met at 5 p.m. yesterday. It rained.', ['We met at five P-M yesterday.', 'It rained.']],
  ['J.R.R. Tolkien wrote books. They sold well.', ['J-R-R Tolkien wrote books.', 'They sold well.']],
  ['Pi is approx. 3.14, e.g. in circles.', ['Pi is approximately three point one four, for example in circles.']],
  ['She has a Ph.D. in physics.', ['She has a P-H-D in physics.']],
  ['He lives in Washington, D.C. with his wife.', ['He lives in Washington, D-C with his wife.']],
  ['Visit https://example.com. Then sign up.', ['Visit example dot com.', 'Then sign up.']],
  ['Email jane.doe@example.com. We reply fast.', ['Email jane dot doe at example dot com.', 'We reply fast.']],
  ['Version 2.0 ships on Jan. 5. Stay tuned.', ['Version two point zero ships on January fifth.', 'Stay tuned.']],
  ['Prices rose 3.5% vs. last year.', ['Prices rose three point five percent versus last year.']],
  ['It happened in 500 B.C. Rome was young.', ['It happened in five hundred B-C.', 'Rome was young.']],
  ['Apples, pears, etc. The end.', ['Apples, pears, et cetera.', 'The end.']],
  ['She took vitamin C. Most people do.', ['She took vitamin C.', 'Most people do.']],
  ['John F. Kennedy spoke. No. 5 followed.', ['John F Kennedy spoke.', 'Number five followed.']],
];

test('sentence-ending periods survive and abbreviation periods do not split sentences', () => {
  for (const [input, sentences] of SENTENCE_CASES) {
    assert.equal(splitSentences(normalizeText(input)), sentences, `splitSentences(normalizeText(${JSON.stringify(input)}))`);
  }
});

test('every sentence end in the table is kept', () => {
  for (const cases of Object.values(CASES)) {
    for (const [input] of cases) {
      const out = normalizeText(input);
      if (/[.!?]$/.test(input.trim())) assert.ok(/[.!?…]$/.test(out), `final punctuation lost in ${JSON.stringify(input)} → ${JSON.stringify(out)}`);
    }
  }
});

test('normalization is stable: normalizing twice changes nothing', () => {
  for (const cases of Object.values(CASES)) {
    for (const [, expected] of cases) {
      assert.is(normalizeText(expected), expected, `normalizeText(${JSON.stringify(expected)})`);
    }
  }
});

test('the English reading rules are for English voices only; other languages leave figures to espeak-ng', () => {
  assert.is(normalizeText('Guten Tag, 42 Katzen', 'de'), 'Guten Tag, 42 Katzen');
  assert.is(normalizeText('Le 3 mars à 15h, 20 €.', 'fr-fr'), 'Le 3 mars à 15h, 20 €.');
  assert.is(normalizeText('Hay 42 gatos...', 'es'), 'Hay 42 gatos…');
  // The clean-up is neutral and still applies (whitespace, ellipses, control characters).
  assert.is(normalizeText('  Guten\t\tTag...  \r\n\r\n  Tschüss\u0007 ', 'de'), 'Guten Tag…\nTschüss');
  assert.is(normalizeText('Guten Tag, 42 Katzen', 'en-gb'), 'Guten Tag, forty-two Katzen');
  assert.is(normalizeText('Guten Tag, 42 Katzen', 'en-us'), 'Guten Tag, forty-two Katzen');
});

test('empty and whitespace-only input give an empty string', () => {
  assert.is(normalizeText(''), '');
  assert.is(normalizeText(' \n\t '), '');
});

test.run();
