"""The words the care records are made of: outcomes people want, what assessments say and
who said what in them, plan actions by owner, what reviews found, and who a visit or call
was with."""

from __future__ import annotations

from typing import Any

from casework.synthetic.scales import ADULT, CHILDREN, JUSTICE, MENTAL_HEALTH
from casework.vocab import AssessmentKind as K
from casework.vocab import LegalStatus
from casework.vocab import OutcomeRating as Rating

OUTCOMES = {
    ADULT: ("To stay in my own home", "To see my grandchildren every week",
            "To get washed and dressed without being rushed", "To get out to the day centre on Tuesdays",
            "To feel safe at night", "To get back to the church choir", "To manage my own money again",
            "To keep my dog", "To get out into the garden when the weather is fine",
            "For my family to get a proper break"),
    CHILDREN: ("To stay at my school with my friends", "To feel safe at home", "To see my dad every weekend",
               "To go to school every day", "For Mum to get well", "To keep playing football on Saturdays",
               "To have my own room", "Not to have to tell my story again to new people",
               "To be at home with my mum and my brother"),
    JUSTICE: ("To finish my unpaid work hours", "To stay off the drink", "To keep my flat", "To get a job",
              "To see my kids every week", "To get back to college", "To stay out of trouble"),
    MENTAL_HEALTH: ("To stay out of hospital", "To get my sleep back", "To go back to work part time",
                    "To get back to college", "To walk the hills again", "To see my sister every week",
                    "To know what to do when I start to get unwell"),
}
CARER_OUTCOMES = ("A night off every week", "To keep working part time",
                  "To know who to call in a crisis", "To get my own health seen to",
                  "To have time for my own family", "To go back to football", "To keep up at school")
TEXTS: dict[Any, dict[str, tuple[str, ...]]] = {
    ADULT: {
        "strengths": ("{name} knows what {she} wants and says so clearly.",
                      "Family nearby and a good neighbour who looks in.",
                      "Good sense of humour; enjoys company when it comes to {her}.",
                      "Manages {her} own medication with a dosette box.",
                      "Long-standing links with the church and the lunch club."),
        "needs": ("Help to wash and dress in the mornings; {she} is unsteady first thing.",
                  "Meals: {she} forgets to eat at lunchtime when alone.",
                  "A safer bathroom: a level-access shower would let {her} wash without help.",
                  "Company during the day; lonely since {her} {spouse} died.",
                  "Support with money and bills.", "A break for the family carer."),
        "risks": ("Two falls this year, one at night; no injuries.",
                  "Forgets to turn the cooker off; a heat sensor has been suggested.",
                  "Has given an acquaintance money several times; possible financial harm.",
                  "District nurse monitoring a pressure area.",
                  "Low risk at present; wears the community alarm."),
        "analysis": ("{name} has eligible needs and the outcomes are realistic with care at home, "
                     "equipment and support for the family. The four self-directed support options "
                     "were explained; {she} is thinking about option 2.",
                     "The main risk is falls at night. With a community alarm and a morning visit "
                     "{name} can stay at home safely, which is what {she} wants.",
                     "{name}'s wishes are clear and {she} has capacity to make these decisions. The "
                     "plan builds on family support rather than replacing it."),
    },
    CHILDREN: {
        "strengths": ("{name} has a warm relationship with {her} mum, who wants to make changes.",
                      "{name} is settled in class and has good friends.",
                      "Gran lives nearby and is a steady presence.",
                      "{name} loves football and goes to the club on Saturdays."),
        "needs": ("Safe: {name} needs to be free from the domestic abuse at home.",
                  "Healthy: dental check-ups are overdue and meals are irregular.",
                  "Achieving: attendance is below 80%; {name} needs help to get to school.",
                  "Nurtured: mum needs support with the morning and bedtime routines.",
                  "Included: {name} would like to join an after-school club."),
        "risks": ("Neglect: no food in the house on three visits.",
                  "Domestic abuse; the father has a bail condition not to attend the home.",
                  "Parental alcohol use at weekends.",
                  "{name} has been missing overnight twice this year."),
        "analysis": ("Using the My World Triangle, the concerns are mainly about care at home rather "
                     "than {name}'s own development. Mum is engaging and the plan builds on that.",
                     "{name}'s wellbeing is affected most in being Safe and Nurtured. A child's plan "
                     "with clear actions for mum, school and health is needed."),
    },
    JUSTICE: {
        "strengths": ("{name} has a supportive partner and a settled tenancy.",
                      "Finished a joinery course at college before the offence.",
                      "Motivated to change; has kept every appointment so far."),
        "needs": ("Alcohol: drinks most days; willing to work with the addictions service.",
                  "Housing: sofa-surfing since leaving prison.",
                  "Work: unemployed for two years; keen on a construction skills course.",
                  "Managing anger in relationships."),
        "risks": ("Risk of reoffending medium (LS/CMI); the offences are linked to drinking.",
                  "History of domestic abuse; the Caledonian programme is being considered.",
                  "Risk of serious harm low; no weapon used."),
        "analysis": ("{name} accepts responsibility for the offence and wants to tackle {her} "
                     "drinking. The risk of reoffending is highest when {she} is drinking and "
                     "unsettled in housing; both are in the plan.",),
    },
    MENTAL_HEALTH: {
        "strengths": ("{name} knows {her} early warning signs and has a crisis plan.",
                      "Close to {her} sister, who visits every week.",
                      "Takes medication regularly when well supported."),
        "needs": ("Support with sleep and a daily routine.",
                  "Help with money: rent arrears built up during the last admission.",
                  "A route back to work or volunteering.",
                  "Company: isolated since losing {her} job."),
        "risks": ("Self-harm when unwell; two overdoses in the past five years.",
                  "Relapse if medication stops; the last one followed a move.",
                  "Self-neglect when low: not eating, not opening mail."),
        "analysis": ("{name} is well at present and wants to stay out of hospital. The plan focuses "
                     "on routine, early warning signs and contact with the CPN.",
                     "The risks rise quickly when {name} stops medication; {she} and {her} family "
                     "understand the crisis plan."),
    },
}
KIND_ANALYSIS = {
    K.CHILD_PROTECTION_INVESTIGATION: (
        "Inter-agency referral discussion with police and health, then a joint investigation. "
        "{name} was seen and spoken with alone. Concerns of {concern} are substantiated; a child "
        "protection planning meeting was convened and a child protection plan agreed.",
        "Joint investigation after an inter-agency referral discussion. {name} was seen at school "
        "with the guidance teacher present. Concerns of {concern} substantiated; referred to the "
        "Children's Reporter and a child protection planning meeting held.",
    ),
    K.ASP_INQUIRY: (
        "Inquiry under section 4 of the Adult Support and Protection (Scotland) Act 2007. {name} "
        "meets the three-point test: unable to safeguard {her} own wellbeing, at risk of harm, and "
        "more vulnerable because of illness. An adult protection case conference is recommended.",
        "Inquiry with investigative powers (sections 7 to 10). {name} was interviewed at home with "
        "an independent advocate. Financial harm by an acquaintance is likely; protection plan agreed "
        "and a banning order considered.",
    ),
    K.JUSTICE_REPORT: (
        "Justice social work report to the sheriff court. {name} pleaded guilty and accepts "
        "responsibility. Assessed as suitable for a community payback order with supervision "
        "(12 months) and 150 hours of unpaid work.",
        "Report for sentencing. Risk of reoffending medium (LS/CMI), linked to alcohol. A community "
        "payback order with supervision and an alcohol treatment requirement is proposed.",
    ),
    K.MHO_REPORT: (
        "Mental health officer report for a compulsory treatment order application (Mental Health "
        "(Care and Treatment) (Scotland) Act 2003). {name} and {her} named person were interviewed; "
        "{name} does not agree. The conditions are met and there is no less restrictive alternative.",
        "Mental health officer report under section 57 of the Adults with Incapacity (Scotland) "
        "Act 2000 on the proposed welfare guardian. The powers sought are needed and are the least "
        "restrictive way to support {name}.",
    ),
    K.RISK: (
        "Risk assessed as {risk}. Protective factors: family contact and regular visits. Reviewed at "
        "supervision and shared with health colleagues, with consent.",
        "Overall risk {risk}. The risks are known and the plan reduces them; the crisis plan says "
        "who does what out of hours.",
    ),
    K.SELF_ASSESSMENT: (
        "{name} completed the self-assessment with help at a visit. Where {her} view and the "
        "worker's differ, both are recorded.",
    ),
}
CONCERNS = ("neglect", "emotional abuse", "physical abuse", "domestic abuse")
CARER_TEXTS = {
    "strengths": ("{carer} knows {name}'s needs better than anyone and wants to keep caring.",
                  "{carer} has good support from friends and the carers' centre."),
    "needs": ("A regular break: {carer} has not had a night away in two years.",
              "Help to balance caring with work.", "Information about {name}'s condition."),
    "risks": ("Carer stress: {carer} says caring is getting too much some weeks.",
              "{carer}'s own health is suffering; a GP appointment keeps being put off."),
    "adult": ("Adult carer support plan agreed with {carer}: a short break every month and a "
              "referral to the carers' centre.",),
    "young": ("Young carer statement agreed with {carer}: the young carers' group on Thursdays, and "
              "school told, with {carer}'s agreement.",),
}
SAYS = {
    ADULT: ("I want to stay in my own house. I've lived here forty years.",
            "I manage fine most days. It's the mornings I struggle with.",
            "I don't want to be a burden on my family.",
            "I'd like to get out more. I've not been to the shops since the winter.",
            "I'm frightened of falling again at night."),
    CHILDREN: ("I like my school and my teacher. I don't want to move.", "I want it to be calm at home.",
               "I miss my dad. I want to see him more.", "I help Mum a lot. Sometimes I'm tired at school.",
               "I don't like it when the police come."),
    JUSTICE: ("I know I messed up. I want to get off the drink and keep my flat.",
              "I've got a wee girl and I want to be there for her.",
              "I'll do the unpaid work, no bother. I just need help with the drink.",
              "I want a job. Nobody gives you a chance with a record."),
    MENTAL_HEALTH: ("When I'm getting unwell I stop sleeping. My sister notices before I do.",
                    "I don't want to go back into hospital.", "The tablets make me tired but they help.",
                    "I want to get back to work, even a couple of days."),
}
CARER_SAYS = ("I'm glad to help {name} but I've not had a full night's sleep in months.",
              "I work full time and do the evenings. I need to know someone looks in at lunchtime.",
              "{name} won't take help from strangers, so it all falls on me.",
              "I want to keep caring. I just need a break now and again.")
PARENT_SAYS = ("I know things have to change. I want help with the mornings.",
               "I'll do whatever it takes to keep {name} at home.",
               "I didn't know who to ask for help before.")
YOUNG_CARER_SAYS = ("I do the shopping and help Mum with her tablets. I'd like to go to football again.",
                    "I worry about Mum when I'm at school.")
WORKER_SAYS = ("Seen at home on two visits; {name} was clear about what matters to {her}.",
               "Observed: house warm, food in, {name} well presented.",
               "Spoke with {name} alone for part of the visit.")
AGENCIES = {
    ADULT: (("GP practice", "{name}'s memory has declined over the year; bloods normal; referred to the memory clinic."),
            ("District nurse", "Visiting twice a week for a leg ulcer; skin otherwise intact."),
            ("Occupational therapy", "Bathing assessment done: a bath lift and grab rails recommended."),
            ("Police Scotland", "Concern report: {name} found outside at night, confused.")),
    CHILDREN: (("School", "Attendance 78% this term. {name} is settled when in class."),
               ("Health visitor", "Development on track; two appointments missed."),
               ("Police Scotland", "Two domestic incidents at the address this year."),
               ("GP practice", "Immunisations up to date.")),
    JUSTICE: (("Scottish Prison Service", "Good conduct in custody; completed an alcohol awareness course."),
              ("Addictions service", "Attending weekly; drinking has reduced."),
              ("Police Scotland", "No further incidents since the order began.")),
    MENTAL_HEALTH: (("Community mental health nurse", "Depot every two weeks; mood stable."),
                    ("Consultant psychiatrist", "Lacks insight when unwell; supports the application."),
                    ("GP practice", "Physical health checks up to date.")),
}
PLAN_ACTIONS = {  # by area and owner: "worker" and "para" are staff, the rest are named in words
    ADULT: {
        "worker": ("Arrange care at home: morning and tea-time visits",
                   "Refer to occupational therapy for a bathing assessment",
                   "Set up a community alarm with a falls detector",
                   "Go through the four self-directed support options with {name}",
                   "Apply for attendance allowance with {name}"),
        "para": ("Visit weekly for the first month to check the new routine",
                 "Go with {name} to the lunch club for the first two weeks",
                 "Help {name} fill in the self-assessment form",
                 "Check the equipment has arrived and is being used"),
        "person": ("Try the lunch club on Thursdays", "Wear the community alarm at night",
                   "Tell the carers which morning time suits"),
        "carer": ("Book a place at the carers' centre drop-in", "Look at the short break options",
                  "Keep a note of any falls"),
        "provider": (("Braeside Homecare (care at home)", "Morning visits at a set time, 8.30 to 9.00"),
                     ("Occupational therapy", "Fit grab rails and a bath lift"),
                     ("Community alarm service", "Install the alarm and test it with {name}")),
    },
    CHILDREN: {
        "worker": ("Visit every two weeks and see {name} on their own",
                   "Refer mum to the parenting group", "Arrange the child's plan meeting with school and health",
                   "Apply for a school clothing grant with mum"),
        "para": ("Take {name} and mum to the dentist", "Support mum with the morning routine twice a week",
                 "Drive {name} to contact with dad on Saturdays"),
        "person": ("Tell the guidance teacher if things get hard at home",
                   "Go to the after-school club on Wednesdays"),
        "carer": ("Go to the parenting group on Tuesdays", "Keep the GP appointment",
                  "Get {name} to school by 9 every day"),
        "provider": (("Guidance teacher", "Check in with {name} every morning"),
                     ("Health visitor", "Developmental check and a home visit"),
                     ("Women's Aid", "Safety planning with mum")),
    },
    JUSTICE: {
        "worker": ("Weekly supervision for the first three months",
                   "Refer to the Caledonian programme", "Complete the housing application with {name}"),
        "para": ("Go with {name} to the job centre appointment",
                 "Help {name} apply for a bus pass and a bank account"),
        "person": ("Attend unpaid work on Saturdays", "Go to the addictions service every Tuesday",
                   "Keep to the curfew"),
        "carer": ("Let the worker know if things get difficult at home",),
        "provider": (("Unpaid work team", "Place {name} on a work squad"),
                     ("Addictions service", "Assessment and weekly key work"),
                     ("Housing options", "Find temporary accommodation")),
    },
    MENTAL_HEALTH: {
        "worker": ("Agree a crisis plan with {name} and share it with the CPN",
                   "Apply for a council tax reduction", "Refer to the Recovery College"),
        "para": ("Go with {name} to the walking group for the first month",
                 "Help {name} sort the mail and bills every fortnight"),
        "person": ("Keep a sleep diary", "Phone the CPN if the early warning signs come back"),
        "carer": ("Call the team if {name} stops sleeping", "Come to the next review"),
        "provider": (("Community mental health nurse", "Depot every two weeks and a mood check"),
                     ("Recovery College", "A place on the wellbeing course"),
                     ("Citizens Advice", "Debt advice and a benefits check")),
    },
}
REVIEW_NAME = {ADULT: "Review", CHILDREN: "Child's plan review", JUSTICE: "Order review",
               MENTAL_HEALTH: "Care programme approach review"}
REVIEW_NAME_BY_LEGAL = {LegalStatus.CHILD_PROTECTION_PLAN: "Review child protection case conference",
                        LegalStatus.COMPULSORY_SUPERVISION_ORDER: "Looked after review"}
REVIEW_PLACES = ("at home", "at the office", "at the school", "by video call", "at the day centre")
PROGRESS = {
    Rating.MET: "Most outcomes are met and {name} is pleased with how things are going.",
    Rating.PARTLY_MET: "Some progress; the plan stays with small changes.",
    Rating.NOT_MET: "Little progress; actions changed and the next review brought forward.",
}
RATING_COMMENTS = {
    Rating.MET: ("{name}: \"This is working for me.\"", "Achieved.", "Done, and kept up since the last review."),
    Rating.PARTLY_MET: ("Getting there.", "Some weeks are better than others.", "Started but not finished."),
    Rating.NOT_MET: ("No progress yet; we will try another way.", "Not started: still on the waiting list.",
                     "Set back by a hospital admission."),
}
# Who a visit or a phone call was with, by the note's subject or opening (as templates).
CONTACT_WITH = {
    "Phone call from the GP": "GP practice", "Phoned the GP practice about {name}.": "GP practice",
    "Call to housing": "Housing officer", "Call with the family": "family",
    "Call from the family about {name}.": "family",
    "Joint visit with the district nurse": "{name} and the district nurse",
    "Visit at the day centre": "{name} and day centre staff",
    "Visit to see {name} at school": "{name} and the guidance teacher",
    "Joint visit with the CPN": "{name} and the CPN", "Visit to the ward": "{name} and the charge nurse",
    "Prison visit": "{name}", "Visit with an interpreter": "{name} (with an interpreter)",
    "Home visit (order supervision)": "{name}",
}
