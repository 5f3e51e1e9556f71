// Word lists the generator draws names, places and titles from. Some entries
// carry non-ASCII letters, apostrophes and slashes on purpose: they exercise
// the `\uXXXX` and `\/` escapes of the real files.

export const FEMALE_NAMES = [
  'Kaylee', 'Lily', 'Jacqueline', 'Chloe', 'Tegan', 'Aleena', 'Kinsley', 'Jayden', 'Ava', 'Sophia', 'Mia', 'Harper',
  'Amelia', 'Evelyn', 'Abigail', 'Emily', 'Ella', 'Elizabeth', 'Camila', 'Luna', 'Sofia', 'Avery', 'Scarlett',
  'Victoria', 'Madison', 'Aria', 'Grace', 'Penelope', 'Riley', 'Layla', 'Zoey', 'Nora', 'Hannah', 'Addison',
  'Leah', 'Savannah', 'Brooklyn', 'Stella', 'Natalie', 'Zoé', 'Anika', 'Rylie', 'Morgan', 'Katherine', 'Molly',
  'Jordyn', 'Cienna', 'Celeste', 'Kate', 'Rebekah', 'Stefany', 'Anabelle', 'Ainsley', 'Brynn', 'Inés', 'Lucía',
];

export const MALE_NAMES = [
  'Walter', 'Ryan', 'Sebastian', 'Matthew', 'Jayden', 'Jacob', 'Mohammad', 'Lucas', 'Liam', 'Noah', 'Oliver',
  'Elijah', 'James', 'William', 'Benjamin', 'Henry', 'Alexander', 'Mason', 'Michael', 'Ethan', 'Daniel', 'Logan',
  'Owen', 'Samuel', 'Joseph', 'John', 'David', 'Wyatt', 'Carter', 'Julian', 'Luke', 'Grayson', 'Isaac', 'Jaxon',
  'Levi', 'Gabriel', 'Anthony', 'Dylan', 'Lincoln', 'Thomas', 'Maxwell', 'Aiden', 'Connor', 'Kevin', 'Colm',
  'Theodore', 'Tucker', 'Wesley', 'Dustin', 'Emmanuel', 'Ezra', 'Cooper', 'Rodrigo', 'José', 'Andrés', 'Björn',
];

export const LAST_NAMES = [
  'Frye', 'Summers', 'Koch', 'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis',
  'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore',
  'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis',
  'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores', 'Green',
  'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts', 'Cuevas', 'Cruz',
  'Larson', 'Mendoza', 'Blackwell', 'Lynch', 'Daniels', "O'Connor", 'Peña', 'Müller', 'Olsen', 'Fuller', 'Klein',
  'Schultz', 'Benson', 'Huerta', 'Nolan', 'Hayes', 'Owens', 'Warren', 'Dixon', 'Webb', 'Porter', 'Hunter',
];

export const LOCATIONS = [
  'San Francisco-Oakland-Hayward, CA', 'Phoenix-Mesa-Scottsdale, AZ', 'Los Angeles-Long Beach-Anaheim, CA',
  'New York-Newark-Jersey City, NY-NJ-PA', 'Chicago-Naperville-Elgin, IL-IN-WI', 'Atlanta-Sandy Springs-Roswell, GA',
  'Houston-The Woodlands-Sugar Land, TX', 'Dallas-Fort Worth-Arlington, TX', 'Miami-Fort Lauderdale-West Palm Beach, FL',
  'Washington-Arlington-Alexandria, DC-VA-MD-WV', 'Philadelphia-Camden-Wilmington, PA-NJ-DE-MD',
  'Boston-Cambridge-Newton, MA-NH', 'Seattle-Tacoma-Bellevue, WA', 'Portland-Vancouver-Hillsboro, OR-WA',
  'San Jose-Sunnyvale-Santa Clara, CA', 'San Diego-Carlsbad, CA', 'Riverside-San Bernardino-Ontario, CA',
  'Detroit-Warren-Dearborn, MI', 'Minneapolis-St. Paul-Bloomington, MN-WI', 'Denver-Aurora-Lakewood, CO',
  'Tampa-St. Petersburg-Clearwater, FL', 'St. Louis, MO-IL', 'Baltimore-Columbia-Towson, MD',
  'Charlotte-Concord-Gastonia, NC-SC', 'Orlando-Kissimmee-Sanford, FL', 'San Antonio-New Braunfels, TX',
  'Sacramento--Roseville--Arden-Arcade, CA', 'Pittsburgh, PA', 'Las Vegas-Henderson-Paradise, NV',
  'Cincinnati, OH-KY-IN', 'Kansas City, MO-KS', 'Columbus, OH', 'Indianapolis-Carmel-Anderson, IN',
  'Cleveland-Elyria, OH', 'Austin-Round Rock, TX', 'Nashville-Davidson--Murfreesboro--Franklin, TN',
  'Virginia Beach-Norfolk-Newport News, VA-NC', 'Providence-Warwick, RI-MA', 'Milwaukee-Waukesha-West Allis, WI',
  'Jacksonville, FL', 'Memphis, TN-MS-AR', 'Oklahoma City, OK', 'Louisville/Jefferson County, KY-IN',
  'Richmond, VA', 'New Orleans-Metairie, LA', 'Raleigh, NC', 'Salt Lake City, UT', 'Birmingham-Hoover, AL',
  'Buffalo-Cheektowaga-Niagara Falls, NY', 'Tucson, AZ', 'Santa Rosa, CA', 'Ogden-Clearfield, UT',
  'Augusta-Richmond County, GA-SC', 'New Haven-Milford, CT', 'London, KY', 'Lansing-East Lansing, MI',
  'Red Bluff, CA', 'Winston-Salem, NC', 'Eugene, OR', 'Tallahassee, FL', 'Janesville-Beloit, WI',
  'Myrtle Beach-Conway-North Myrtle Beach, SC-NC', 'Harrisburg-Carlisle, PA', 'Elkhart-Goshen, IN',
  'Marinette, WI-MI', 'Yuba City, CA', 'Anchorage, AK', 'Chattanooga, TN-GA', 'Spokane-Spokane Valley, WA',
];

export const USER_AGENTS = [
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/35.0.1916.153 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4"',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.78.2 (KHTML, like Gecko) Version/7.0.6 Safari/537.78.2"',
  '"Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"',
  '"Mozilla/5.0 (iPad; CPU OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53"',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Windows NT 6.3; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.9; rv:31.0) Gecko/20100101 Firefox/31.0',
  'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0',
  '"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.125 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  '"Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36"',
  'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1; WOW64; Trident/6.0)',
  'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko',
  '"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10) AppleWebKit/600.1.3 (KHTML, like Gecko) Version/8.0 Safari/600.1.3"',
];

/** Words for song titles. */
export const TITLE_WORDS = [
  'Love', 'Night', 'Heart', 'Dream', 'Fire', 'Rain', 'Summer', 'Blue', 'Gold', 'River', 'Road', 'Home', 'Light',
  'Shadow', 'Angel', 'Moon', 'Sun', 'Stars', 'Ocean', 'City', 'Wild', 'Broken', 'Silent', 'Electric', 'Sweet',
  'Lonely', 'Midnight', 'Forever', 'Tonight', 'Yesterday', 'Tomorrow', 'Paradise', 'Thunder', 'Whisper', 'Echo',
  'Velvet', 'Crystal', 'Diamond', 'Highway', 'Train', 'Window', 'Garden', 'Winter', 'Memory', 'Soul', 'Fever',
  'Honey', 'Storm', 'Mirror', 'Dance', 'Radio', 'Ghost', 'Glory', 'Freedom', 'Sugar', 'Kingdom', 'Island',
  'Corazón', 'Mañana', 'Été', 'Straße', 'Niño', 'Señorita', 'Sueño', 'Ça Plane', 'Für Dich', 'Année',
];

/** Phrases that make a title look like the Million Song Dataset ones. */
export const TITLE_FORMS = [
  '{a}', '{a} {b}', 'The {a}', '{a} of {b}', "Don't Stop {a}", '{a} (Album Version)', '{a} (LP Version)',
  '{a} / {b}', 'My {a}', '{a} Again', 'In the {a}', '{a} & {b}', '{a} (Live)', "{a}'s {b}", '{a} 24/7',
];

export const BAND_FORMS = ['The {a}s', '{a} {b}', 'The {a} {b}', '{a} & the {b}s', 'DJ {a}', '{a}/{b}', 'MC {a}'];
