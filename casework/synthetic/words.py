"""The words the synthetic data is made of: places, names, streets, what matters to
people, and the phrases case summaries, referrals, allocation reasons and notes are built
from. Every person and place is fictional."""

from __future__ import annotations

from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.vocab import NoteType, ServiceArea

LOCALITIES = (
    "Riverside", "Kirkton", "Braeside", "Glenview", "Ashgrove", "Burnside", "Westerton",
    "Northfield", "Eastwood", "Lochview", "Millbrae", "Castlehill", "Southbank", "Kingsmeadow",
    "Hillhead", "Townhead", "Broomfield", "Craigend", "Lochend", "Abbeyhill", "Fernbrae",
    "Strathmore", "Muirhouse", "Greenlaw", "Dalmuir", "Inchview", "Larchfield", "Rosebank",
    "Thornlie", "Woodside", "Balgray", "Cairnhill",
)
TEAM_SUFFIX = {
    ADULT: "Adult Team",
    CHILDREN: "Children and Families Team",
    JUSTICE: "Justice Social Work Team",
    MENTAL_HEALTH: "Community Mental Health Team",
}
POSTCODE_AREAS = ("G", "PA", "EH", "KA", "ML", "FK", "DD", "AB", "KY", "IV", "PH", "DG")
INWARD = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode's inward part may use

FEMALE = (
    "Siobhán", "Mairi", "Màiri", "Eilidh", "Catriona", "Fiona", "Kirsty", "Morag", "Isla", "Ailsa",
    "Aoife", "Niamh", "Róisín", "Sinéad", "Caoimhe", "Gráinne", "Orla", "Agnieszka", "Małgorzata",
    "Zofia", "Katarzyna", "Ewa", "Zuzanna", "Joanna", "Emma", "Olivia", "Sophie", "Chloe", "Lucy",
    "Amy", "Rachel", "Heather", "Lorna", "Shona", "Morven", "Peigi", "Ciorstaidh", "Sìne", "Priya",
    "Aisha", "Fatima", "Zara", "Jean", "Margaret", "Agnes", "Elizabeth", "Helen", "Janet", "Isobel",
    "Christina", "Annie", "Mhairi", "Iona", "Freya", "Skye", "Grace", "Ellie", "Ava", "Amelia",
    "Sofia", "Hannah", "Ruby", "Ayesha", "Amira", "Chiamaka", "Nadia",
)
MALE = (
    "Ewan", "Calum", "Ruaridh", "Hamish", "Angus", "Lachlan", "Alasdair", "Murdo", "Iain", "Seumas",
    "Dòmhnall", "Tormod", "Pádraig", "Seán", "Ciarán", "Oisín", "Darragh", "Łukasz", "Piotr",
    "Wojciech", "Krzysztof", "Paweł", "Tomasz", "Jakub", "Mateusz", "Kacper", "Szymon", "Jamie",
    "Liam", "Jack", "Noah", "Lewis", "Finlay", "Callum", "Kyle", "Ryan", "Craig", "Stuart",
    "Gordon", "Robert", "James", "John", "William", "David", "Thomas", "Andrew", "Alan", "Kenneth",
    "Graham", "Mohammed", "Imran", "Arjun", "Ravi", "Fionnlagh", "Niall", "Conor", "Aidan", "Euan",
    "Rory", "Archie", "Harris", "Oliver", "Leo", "Tariq", "Emeka",
)
# Plain strings serve either sex; (male, female) pairs are surnames that change with it.
FAMILY: tuple[str | tuple[str, str], ...] = (
    "Campbell", "MacDonald", "Stewart", "Robertson", "Thomson", "Anderson", "Scott", "Murray",
    "MacLeod", "Reid", "Smith", "Brown", "Wilson", "Paterson", "Fraser", "Ross", "Mackenzie",
    "Morrison", "Kerr", "Douglas", "Baird", "Hamilton", "Graham", "Johnston", "Gray", "Watson",
    "Ferguson", "Duncan", "Hunter", "Kennedy", "Walker", "Young", "Mitchell", "Crawford", "Cameron",
    "Henderson", "Gillies", "MacInnes", "Caimbeul", "Moireach", "Dewar", "Nowak", "Wójcik",
    "Singh", "Khan", "Ahmed", "Ali", "Hussain", "Patel", "Murphy", "Kelly", "O'Neill", "O'Brien",
    "Byrne", "Gallagher", "Quinn", "Doherty", "McLaughlin", "McGregor", "McAllister", "Sinclair",
    "Sutherland", "Munro", "Boyle", "Docherty", "Reilly", "Okafor", "Kowalczyk",
    ("MacLeòid", "NicLeòid"), ("MacDhòmhnaill", "NicDhòmhnaill"),
    ("Ó Súilleabháin", "Ní Shúilleabháin"),
    ("Ó Briain", "Ní Bhriain"), ("Ó Dónaill", "Ní Dhónaill"), ("Ó Conaill", "Ní Chonaill"),
    ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"), ("Kamiński", "Kamińska"), ("Dąbrowski", "Dąbrowska"),
)
STREETS = (
    "Burnside Road", "Kirk Street", "Station Road", "Glebe Crescent", "Main Street",
    "Church Street", "Mill Lane", "Loch Road", "Meadow View", "Ashgrove Avenue", "Braeside Drive",
    "Castle Wynd", "Victoria Road", "High Street", "Bank Street", "Rowan Court", "Thistle Place",
    "Heather Gardens", "Caledonia Street", "Wallace Terrace", "Bruce Avenue", "Birch Grove",
    "Quarry Road", "Marine Parade", "School Brae", "Tweed Crescent", "Clyde Street",
)
COMMUNICATION = (
    "Uses British Sign Language: book a BSL interpreter for every visit.",
    "Polish speaker: prefers a Polish interpreter for meetings.",
    "Gaelic is her first language; happy to speak English on the phone.",
    "Hearing loss: face him when speaking, and confirm plans in writing.",
    "Easy read letters, please.",
    "Sight loss: large print (18 point) or a phone call rather than letters.",
    "Communicates with Makaton and a picture board; the keyworker can help.",
    "Needs an Arabic interpreter.",
    "Dementia: short sentences, one question at a time, and a family member present if possible.",
)
CONTACT_PREFERENCES = (
    "Phone in the morning.", "Text first, then call.", "Letters to the home address.",
    "Through the daughter, who is the main carer.", "Email is best.",
    "Phone the landline; no mobile.", "Via the keyworker at the supported accommodation.",
    "Do not leave voicemails: shared phone.",
)
WHAT_MATTERS = {
    ADULT: ("Staying in my own home.", "Getting out to the day centre on Tuesdays.",
            "Seeing my grandchildren.", "Keeping my dog.", "Not being a burden on my daughter.",
            "Getting back to the church choir.", "Being able to wash and dress without a rush."),
    CHILDREN: ("Staying at the same school as my friends.", "Seeing my dad every weekend.",
               "Mum getting better.", "Football on Saturdays.", "Having my own room.",
               "Not having to keep telling my story to new people."),
    JUSTICE: ("Keeping my flat.", "Getting a job.", "Seeing my kids.", "Staying off the drink.",
              "Finishing my college course.", "Getting away from the people I used to run about with."),
    MENTAL_HEALTH: ("Getting my sleep back.", "Staying out of hospital.", "Going back to work part time.",
                    "Being listened to.", "Seeing my sister.", "Walking the hills again."),
}
SUMMARIES = {
    ADULT: ("{name} ({age}) lives alone after two falls this year; daughter visits daily.",
            "{name} ({age}) has early dementia; husband is the main carer and is tired.",
            "{name} ({age}) was discharged from hospital with a care at home package under review.",
            "{name} ({age}) has a learning disability and lives in supported accommodation.",
            "{name} ({age}) has a progressive neurological condition; equipment and adaptations in place."),
    CHILDREN: ("{name} ({age}) lives with mum and two siblings; concerns about neglect.",
               "{name} ({age}) is looked after at home; school attendance is the main worry.",
               "{name} ({age}) lives with a grandparent as a kinship carer.",
               "{name} ({age}): domestic abuse in the household; safety planning with mum.",
               "{name} ({age}) is a young carer for a parent with a long-term illness."),
    JUSTICE: ("{name} ({age}) is on a community payback order with unpaid work and supervision.",
              "{name} ({age}) is due for release; throughcare planning under way.",
              "{name} ({age}): report requested by the sheriff court.",
              "{name} ({age}) is on a structured deferred sentence."),
    MENTAL_HEALTH: ("{name} ({age}) has a long history of psychosis and is well on a depot.",
                    "{name} ({age}) was recently detained; community treatment planning.",
                    "{name} ({age}) lives alone with severe depression; isolated since losing work.",
                    "{name} ({age}) has bipolar disorder; relapse signature agreed with the family."),
}
REASON_FIRST = ("Allocated at the allocation meeting", "Allocated for assessment",
                "Allocated on opening the case", "Allocated by the team leader at screening")
REASON_REFERRAL_QUEUED = ("New referral: awaiting allocation",
                          "Referral screened: waiting for a worker",
                          "Referral received: in the team's unallocated queue")
REASON_REALLOCATE = ("Caseload rebalancing across the team",
                     "The person asked for a change of worker",
                     "Worker on long-term leave: case reallocated",
                     "Moved to a worker with the right experience for the risks",
                     "Worker changed teams within the service")
REASON_WORKER_LEFT = ("Previous worker left the team", "Previous worker retired",
                      "Previous worker moved to another council")
REASON_TO_QUEUE = ("Worker on long-term sick leave: case in the unallocated queue",
                   "Worker's caseload too high: case returned to the queue",
                   "Worker on maternity leave: awaiting reallocation")
REASON_TO_QUEUE_LEFT = ("Worker left the team: awaiting reallocation",)
REASON_FROM_QUEUE = ("Allocated from the unallocated queue",
                     "Allocated at the weekly allocation meeting")

REFERRAL_SOURCES = {
    ADULT: ("the GP", "the hospital discharge team", "a daughter", "a neighbour",
            "the housing association", "Police Scotland (concern report)", "the district nurse"),
    CHILDREN: ("the school", "the health visitor", "Police Scotland (concern report)",
               "the Scottish Children's Reporter Administration", "the GP", "a parent"),
    JUSTICE: ("the sheriff court (report request)", "the Scottish Prison Service",
              "the procurator fiscal", "the sheriff court (order imposed)"),
    MENTAL_HEALTH: ("the GP", "the psychiatric ward", "the community mental health nurse",
                    "Police Scotland", "NHS 24"),
}
REFERRAL_REASONS = {
    ADULT: ("{name} is struggling with personal care since a fall.",
            "{name}'s carer can no longer manage alone.",
            "Concern that {name} is being financially exploited by an acquaintance.",
            "{name} is ready for discharge but needs care at home first."),
    CHILDREN: ("{name} has come to school hungry several times this month.",
               "Police attended a domestic incident; {name} was in the house.",
               "{name}'s attendance has fallen below 60%.",
               "Mum asked for help: {name}'s behaviour at home is hard to manage."),
    JUSTICE: ("Criminal justice social work report requested for sentencing.",
              "Community payback order with supervision imposed today.",
              "{name} is due for release in eight weeks: throughcare requested."),
    MENTAL_HEALTH: ("{name} is more unwell and not taking medication.",
                    "{name} was detained over the weekend; MHO involvement needed.",
                    "{name} is isolated and the GP is worried about risk of self-harm."),
}
SUBJECTS: dict[NoteType, tuple[str, ...]] = {
    NoteType.VISIT: ("Home visit", "Planned home visit", "Unannounced visit", "Visit with an interpreter"),
    NoteType.PHONE: ("Phone call with {name}", "Phone call from the GP", "Call to housing",
                     "Call with the family", "Missed call returned"),
    NoteType.MEETING: ("Review meeting", "Multi-agency meeting", "Planning meeting with {name}"),
    NoteType.LETTER: ("Letter to {name}: review date", "Letter to {name}: what we agreed",
                      "Letter to the GP about {name}"),
    NoteType.EMAIL: ("Email with the provider", "Email with occupational therapy",
                     "Email with health colleagues", "Email from {name}'s solicitor"),
    NoteType.OFFICE: ("Case recording update", "Chronology updated", "Discussed in supervision",
                      "Duty contact"),
    NoteType.OTHER: ("Text messages with {name}", "Contact attempt: no reply"),
}
AREA_SUBJECTS: dict[ServiceArea, dict[NoteType, tuple[str, ...]]] = {
    ADULT: {NoteType.VISIT: ("Joint visit with the district nurse", "Visit at the day centre"),
            NoteType.MEETING: ("Hospital discharge planning meeting", "Care at home review")},
    CHILDREN: {NoteType.VISIT: ("Visit to see {name} at school", "Statutory visit", "Contact visit"),
               NoteType.MEETING: ("Child's plan meeting", "Core group meeting", "Looked after review")},
    JUSTICE: {NoteType.VISIT: ("Home visit (order supervision)", "Prison visit"),
              NoteType.MEETING: ("Case management meeting", "Unpaid work review")},
    MENTAL_HEALTH: {NoteType.VISIT: ("Joint visit with the CPN", "Visit to the ward"),
                    NoteType.MEETING: ("Care programme approach review", "Ward round")},
}
SIGNIFICANT = {
    ADULT: ("Adult support and protection inquiry", "Admitted to hospital after a fall",
            "Guardianship application lodged", "Large-scale investigation: care home"),
    CHILDREN: ("Child protection case conference", "Children's hearing decision",
               "Inter-agency referral discussion", "{name} placed with kinship carer"),
    JUSTICE: ("Breach of order reported to court", "Report submitted to the sheriff court",
              "Arrested: new charges"),
    MENTAL_HEALTH: ("Emergency detention", "Short-term detention certificate granted",
                    "Compulsory treatment order granted", "Crisis: out-of-hours contact"),
}
OPENINGS: dict[NoteType, tuple[str, ...]] = {
    NoteType.VISIT: ("Visited {name} at home as planned.", "Called at the house; {name} was in and happy to talk.",
                     "Joint visit; {name} was expecting us.", "Visited; {name} answered after a few minutes."),
    NoteType.PHONE: ("Spoke with {name} on the phone.", "Phoned {name}; no answer at first, called back within the hour.",
                     "Call from the family about {name}.", "Phoned the GP practice about {name}."),
    NoteType.MEETING: ("Meeting with {name} and the people involved.", "Attended the multi-agency meeting about {name}.",
                       "Met {name} at the office."),
    NoteType.LETTER: ("Wrote to confirm what was agreed with {name}.", "Letter sent; a copy is on file."),
    NoteType.EMAIL: ("Emails about {name} saved to the file.", "Email exchange about {name}'s support."),
    NoteType.OFFICE: ("Reviewed the file and updated the chronology.", "Discussed {name}'s situation at supervision."),
    NoteType.OTHER: ("Several text messages with {name} to arrange the next visit.", "Tried to reach {name}; left a card."),
}
MIDDLES = {
    ADULT: ("{name} says the morning carers arrive late and would like a set time.",
            "We went through the outcomes in the plan: staying at home safely and getting out more.",
            "The daughter is finding caring harder; offered an adult carer support plan.",
            "Some weight loss noticed; will ask the GP to review.",
            "Went through the self-directed support options; {name} is thinking about a direct payment.",
            "The house was warm and tidy; fridge stocked.",
            "{name} has had no falls since the community alarm was fitted."),
    CHILDREN: ("{name} was at home with mum; the house was warm and there was food in.",
               "School reports attendance is up this term.",
               "Spoke with {name} alone; says things are better at home.",
               "Contact with dad went ahead and was positive.",
               "The kinship carer asked for help with nursery costs.",
               "Mum has started the parenting group and says it helps.",
               "{name} was quiet and did not want to talk today."),
    JUSTICE: ("{name} attended as required and is completing unpaid work hours.",
              "Discussed the offending behaviour programme; attending weekly.",
              "Housing is still unsettled; referral made to homelessness services.",
              "{name} has been sober for six weeks and is proud of it.",
              "Talked through the conditions of the order again."),
    MENTAL_HEALTH: ("{name} is taking medication and sleeping better.",
                    "The CPN reports mood lower this week.",
                    "Talked about what helps when things get difficult; crisis plan updated.",
                    "{name} has been going to the walking group.",
                    "{name}'s sister is worried and would like to be kept informed, with consent."),
}
NOTE_ACTIONS = ("Next visit booked in two weeks.", "Will update the team leader at supervision.",
                "Actions added to the plan.", "No further action today.", "Will write to confirm.",
                "Follow-up call arranged with the GP.", "Review date confirmed.")
CLOSING = ("Involvement ended: the outcomes in the plan were met. {name} knows how to get in touch "
           "again through the duty team.",
           "Case closed after the review. {name}'s informal supports are in place; the family have "
           "the duty number.",
           "{name} moved out of the area; records shared with the new council with consent. Case closed.")
CORRECTIONS = ("The visit recorded on {day} took place at the day centre, not at home.",
               "The entry of {day} named the wrong GP practice; it is the health centre on the high street.",
               "The time in the entry of {day} was wrong: the call was in the afternoon.",
               "The entry of {day} gave the wrong name for the carer; she is the niece, not the daughter.")
