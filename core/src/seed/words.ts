/** Help-desk vocabulary for generated text, so full-text search over seeded data behaves like real data. */
export const WORDS = `printer laptop monitor keyboard mouse docking station headset webcam phone tablet vpn wifi network router switch firewall
proxy dns email outlook calendar meeting invite mailbox quota password reset login account locked expired token sso mfa authenticator
license software install update upgrade patch driver crash freeze slow error warning message popup screen blue black flicker display
resolution battery charger power cable port usb bluetooth audio sound microphone speaker video teams zoom chat channel share drive folder
file permission access denied request approval manager onboarding offboarding contract invoice billing payment refund order shipment
delivery address customer portal website page broken link form submit upload download attachment backup restore database server cloud
storage disk space memory cpu performance latency timeout outage incident maintenance window change release deploy rollback ticket
escalation priority urgent critical minor question how where when why please help thanks today tomorrow yesterday morning afternoon
office remote home branch warehouse reception kitchen meeting room floor building badge door camera alarm heating cooling light desk chair
sync mobile app android iphone notification alert report dashboard export import spreadsheet excel word powerpoint pdf scan scanner copier`.split(/\s+/);

export const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Liam', 'Mara', 'Noah', 'Olga', 'Paul', 'Quinn', 'Rosa', 'Sami', 'Tara'];
export const LAST_NAMES = ['Adams', 'Bauer', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ivanova', 'Jensen', 'Kowalski', 'Larsen', 'Moreau', 'Nowak', 'Okafor', 'Petrov', 'Rossi', 'Schmidt', 'Tanaka', 'Weber'];
