import type { BeneficiaireRow } from '../../subgraphs/coordination/src/entities';
import { addYears, isoDate, type Day } from './dates';
import type { Random } from './random';
import { emailSlug } from './reference';

/**
 * Identities of the people followed: countries of birth in the proportions of the protections
 * granted in France in recent years (OFPRA: Afghanistan far ahead, then Sudan, West and Central
 * Africa, Syria, the Horn of Africa, Turkey...), with names from the same regions (faker's French
 * names would make every refugee look French-born), and French mobile numbers.
 */

interface NameGroup {
  hommes: readonly string[];
  femmes: readonly string[];
  noms: readonly string[];
  /** Family names that take a feminine form (Chechen -ov => -ova). */
  nomFeminin?: (nom: string) => string;
}

const DARI: NameGroup = {
  hommes: ['Ahmad', 'Mohammad', 'Ali', 'Hamid', 'Farid', 'Jawad', 'Mustafa', 'Naveed', 'Rahmatullah', 'Sayed',
    'Zabihullah', 'Abdul Karim', 'Hamidullah', 'Mirwais', 'Nasir', 'Sohrab', 'Wahid', 'Khalil'],
  femmes: ['Zahra', 'Fatima', 'Maryam', 'Marzia', 'Nazanin', 'Sakina', 'Fereshta', 'Parwana', 'Shabnam', 'Roya',
    'Habiba', 'Nilofar', 'Mursal', 'Sima'],
  noms: ['Ahmadi', 'Rahimi', 'Hashimi', 'Sultani', 'Noori', 'Karimi', 'Hussaini', 'Sadat', 'Stanekzai', 'Mohammadi',
    'Haidari', 'Rezaei', 'Azizi', 'Popal', 'Safi', 'Wardak', 'Jalali', 'Amiri', 'Nazari', 'Sharifi'],
};
const PERSIAN: NameGroup = {
  hommes: ['Reza', 'Mehdi', 'Amir', 'Hossein', 'Saeed', 'Babak', 'Omid', 'Arash', 'Kian'],
  femmes: ['Sara', 'Leila', 'Maryam', 'Nasrin', 'Shirin', 'Mahsa', 'Parisa', 'Niloufar', 'Azadeh'],
  noms: ['Hosseini', 'Mohammadi', 'Rezaei', 'Jafari', 'Kazemi', 'Moradi', 'Karimi', 'Ebrahimi', 'Tehrani', 'Sadeghi'],
};
const SUDAN: NameGroup = {
  hommes: ['Mohamed', 'Ahmed', 'Abdallah', 'Osman', 'Adam', 'Ibrahim', 'Yousif', 'Mustafa', 'Hassan', 'Abdelrahman',
    'Khalid', 'Musa', 'Ismail', 'Haroun'],
  femmes: ['Hawa', 'Amna', 'Fatima', 'Aisha', 'Mariam', 'Sara', 'Zainab', 'Khadija', 'Sumaya'],
  noms: ['Abdelrahman', 'Osman', 'Adam', 'Ismail', 'Yousif', 'Abakar', 'Haroun', 'Idriss', 'Suleiman', 'Abdallah',
    'Mahamat', 'Eltayeb', 'Elnour', 'Bakhit'],
};
const LEVANT: NameGroup = {
  hommes: ['Ahmad', 'Omar', 'Khaled', 'Yazan', 'Mahmoud', 'Rami', 'Bilal', 'Tarek', 'Anas', 'Fadi', 'Hussam', 'Samer'],
  femmes: ['Rania', 'Lina', 'Nour', 'Hala', 'Rasha', 'Dima', 'Reem', 'Yasmin', 'Lama', 'Aya', 'Rahaf'],
  noms: ['Al-Hassan', 'Haddad', 'Khalil', 'Saleh', 'Nasser', 'Hamdan', 'Al-Ahmad', 'Darwish', 'Sabbagh', 'Qasem',
    'Al-Masri', 'Zaher', 'Shami', 'Al-Ali'],
};
const HORN: NameGroup = {
  hommes: ['Yonas', 'Merhawi', 'Tesfay', 'Filmon', 'Daniel', 'Samuel', 'Biniam', 'Abel', 'Henok', 'Robel', 'Dawit'],
  femmes: ['Senait', 'Helen', 'Feven', 'Selam', 'Hiwet', 'Saba', 'Ruth', 'Lidya', 'Mebrat', 'Winta'],
  noms: ['Tesfamariam', 'Gebremedhin', 'Haile', 'Kidane', 'Berhane', 'Tekle', 'Ghebreyesus', 'Woldemichael', 'Asfaha',
    'Tsegay', 'Mebrahtu', 'Tadesse'],
};
const SOMALI: NameGroup = {
  hommes: ['Abdi', 'Hassan', 'Mohamed', 'Abdirahman', 'Farah', 'Ahmed', 'Yusuf', 'Said', 'Abdullahi'],
  femmes: ['Hodan', 'Amina', 'Fadumo', 'Halima', 'Sahra', 'Ifrah', 'Asha', 'Ubah'],
  noms: ['Warsame', 'Ali', 'Farah', 'Hussein', 'Abdi', 'Jama', 'Osman', 'Aden', 'Nur', 'Hersi'],
};
const WEST_AFRICA: NameGroup = {
  hommes: ['Mamadou', 'Ibrahima', 'Alpha', 'Ousmane', 'Abdoulaye', 'Sékou', 'Moussa', 'Amadou', 'Boubacar', 'Lansana',
    'Yacouba', 'Souleymane', 'Mohamed Lamine'],
  femmes: ['Aïssatou', 'Mariama', 'Fatoumata', 'Kadiatou', 'Hawa', 'Aminata', 'Djénéba', 'Mariam', 'Oumou',
    'Ramatoulaye', 'Salimata', 'Awa'],
  noms: ['Diallo', 'Barry', 'Bah', 'Camara', 'Sow', 'Keïta', 'Koné', 'Traoré', 'Ouattara', 'Coulibaly', 'Touré',
    'Condé', 'Kouyaté', 'Sylla', 'Bangoura', 'Doumbia', 'Soumah', 'Baldé'],
};
const CENTRAL_AFRICA: NameGroup = {
  hommes: ['Jean-Paul', 'Patrick', 'Christian', 'Junior', 'Héritier', 'Blaise', 'Serge', 'Dieudonné', 'Arsène', 'Fabrice'],
  femmes: ['Christelle', 'Grâce', 'Merveille', 'Nadège', 'Esther', 'Divine', 'Chancelle', 'Ornella', 'Rachel'],
  noms: ['Mukendi', 'Kabongo', 'Tshibangu', 'Mbuyi', 'Ilunga', 'Kalala', 'Lukusa', 'Nkoulou', 'Mbarga', 'Ngono',
    'Fotso', 'Kamga', 'Mwamba', 'Kasongo'],
};
const TURKEY: NameGroup = {
  hommes: ['Mehmet', 'Ahmet', 'Mustafa', 'Hasan', 'Emre', 'Serkan', 'Murat', 'Baran', 'Deniz', 'Rojhat'],
  femmes: ['Zeynep', 'Elif', 'Ayşe', 'Fatma', 'Rojda', 'Berfin', 'Rojin', 'Berivan', 'Dilan'],
  noms: ['Yılmaz', 'Demir', 'Kaya', 'Şahin', 'Aydın', 'Çelik', 'Doğan', 'Arslan', 'Kılıç', 'Özdemir', 'Tekin'],
};
const BENGALI: NameGroup = {
  hommes: ['Rahim', 'Karim', 'Mohammad', 'Abdul', 'Rafiq', 'Shahid', 'Jahid', 'Sohel', 'Rakib'],
  femmes: ['Nasrin', 'Shirin', 'Rokeya', 'Fatema', 'Sultana', 'Taslima', 'Nusrat'],
  noms: ['Hossain', 'Rahman', 'Islam', 'Uddin', 'Ahmed', 'Miah', 'Chowdhury', 'Sarkar', 'Begum'],
};
const CHECHEN: NameGroup = {
  hommes: ['Magomed', 'Ruslan', 'Adam', 'Islam', 'Aslan', 'Rustam', 'Zelimkhan', 'Said', 'Ibragim'],
  femmes: ['Khava', 'Madina', 'Zarema', 'Aminat', 'Liana', 'Milana', 'Kheda', 'Louiza'],
  noms: ['Magomedov', 'Umarov', 'Saidov', 'Isaev', 'Dudaev', 'Baisarov', 'Tsuraev', 'Musaev', 'Elmurzaev'],
  nomFeminin: (nom) => (/(ov|ev)$/.test(nom) ? `${nom}a` : nom),
};
const NIGERIA: NameGroup = {
  hommes: ['Emeka', 'Chinedu', 'Tunde', 'Samuel', 'Godwin', 'Daniel', 'Ifeanyi', 'Osas'],
  femmes: ['Blessing', 'Joy', 'Precious', 'Favour', 'Gift', 'Ese', 'Mercy', 'Osaretin'],
  noms: ['Okafor', 'Adeyemi', 'Eze', 'Obi', 'Okonkwo', 'Nwosu', 'Ogunleye', 'Osagie', 'Edosa', 'Igbinedion'],
};
const HAITI: NameGroup = {
  hommes: ['Jean', 'Wilson', 'Jean-Robert', 'Fritz', 'Wisly', 'Stanley', 'Jean-Claude'],
  femmes: ['Marie-Michelle', 'Nadège', 'Guerline', 'Mirlande', 'Rose-Carmelle', 'Wideline', 'Roseline'],
  noms: ['Pierre', 'Joseph', 'Charles', 'Jean-Baptiste', 'Louis', 'Désir', 'Augustin', 'Saint-Fleur', 'Célestin'],
};

/** Country of birth (ISO 3166-1 alpha-2) => [relative weight, share of women, name group]. */
const PAYS: ReadonlyArray<readonly [string, number, number, NameGroup]> = [
  ['AF', 24, 0.3, DARI],
  ['SD', 9, 0.15, SUDAN],
  ['GN', 7, 0.45, WEST_AFRICA],
  ['CI', 6, 0.5, WEST_AFRICA],
  ['CD', 6, 0.5, CENTRAL_AFRICA],
  ['ER', 6, 0.4, HORN],
  ['SY', 6, 0.45, LEVANT],
  ['TR', 5, 0.35, TURKEY],
  ['SO', 4, 0.45, SOMALI],
  ['BD', 3, 0.1, BENGALI],
  ['ET', 3, 0.45, HORN],
  ['IR', 3, 0.4, PERSIAN],
  ['RU', 3, 0.5, CHECHEN],
  ['NG', 3, 0.75, NIGERIA],
  ['CM', 3, 0.5, CENTRAL_AFRICA],
  ['PS', 2, 0.35, LEVANT],
  ['YE', 2, 0.3, LEVANT],
  ['HT', 2, 0.55, HAITI],
  ['ML', 2, 0.3, WEST_AFRICA],
];

/** Age at the reference date (CIR signature): the programme is open from 16 (seed 000). */
const TRANCHES_AGE: ReadonlyArray<readonly [readonly [number, number], number]> = [
  [[16, 17], 3],
  [[18, 25], 27],
  [[26, 35], 35],
  [[36, 45], 22],
  [[46, 55], 9],
  [[56, 68], 4],
];

const FOURNISSEURS_EMAIL: ReadonlyArray<readonly [string, number]> = [
  ['gmail.com', 55],
  ['outlook.fr', 15],
  ['hotmail.fr', 15],
  ['yahoo.fr', 10],
  ['icloud.com', 5],
];

export type Identite = Pick<
  BeneficiaireRow,
  'nom' | 'prenom' | 'sexe' | 'paysNaissance' | 'dateNaissance' | 'telephone' | 'email'
>;

/**
 * A person's identity: country of birth, sex, names from that country, a birth date giving an age
 * of 16 or more on `reference` (the CIR signature, or the orientation without CIR), a French
 * mobile in E.164 (a few people have none yet), and an e-mail for about half of them.
 * Rejoignants (spouses, children, parents joining a BPI) are more often women.
 */
export function drawIdentity(random: Random, reference: Day, rejoignant: boolean): Identite {
  const [paysNaissance, , partFemmes, group] = random.weighted(PAYS.map((p) => [p, p[1]] as const));
  const sexe = random.chance(rejoignant ? 0.7 : partFemmes) ? 'FEMME' : 'HOMME';
  const prenom = random.pick(sexe === 'FEMME' ? group.femmes : group.hommes);
  const nomBrut = random.pick(group.noms);
  const nom = sexe === 'FEMME' && group.nomFeminin ? group.nomFeminin(nomBrut) : nomBrut;
  const [ageMin, ageMax] = random.weighted(TRANCHES_AGE);
  const age = random.int(ageMin, ageMax);
  // Birthday between 1 and 364 days before the anniversary: exactly `age` years old on `reference`.
  const dateNaissance = isoDate(addYears(reference, -age) - random.int(1, 364));
  return {
    nom,
    prenom,
    sexe,
    paysNaissance,
    dateNaissance,
    telephone: random.chance(0.95) ? frenchMobile(random) : null,
    email: random.chance(0.55)
      ? `${emailSlug(prenom)}.${emailSlug(nom)}${random.chance(0.5) ? random.int(1, 99) : ''}@${random.weighted(FOURNISSEURS_EMAIL)}`
      : null,
  };
}

/** A French mobile number in E.164: +336 xx xx xx xx, or +337 5x–8x (the allocated 07 ranges). */
export function frenchMobile(random: Random): string {
  return random.chance(0.7)
    ? `+336${random.faker.string.numeric(8)}`
    : `+337${random.int(5, 8)}${random.faker.string.numeric(7)}`;
}
