"""The invented words and national proportions the casework demo draws on.

Data, not logic: names, professions, provision wording, late reasons and the
weights of processes, primary needs and ages (docs/domain.md, "National
figures"). Used by :mod:`portal.demo.casework`.
"""

from __future__ import annotations

from commissioning.models import ServiceType
from ehc.models import LateReason, PrimaryNeed, Process, Reg8Exception

# --- Invented words ------------------------------------------------------------------

FIRST_NAMES = (
    "Oliver Amelia Noah Isla Leo Ava Arthur Mia Muhammad Ivy George Lily Harry Freya Oscar "
    "Florence Archie Grace Jack Sophia Henry Willow Charlie Evie Freddie Rosie Theo Ella "
    "Alfie Poppy Thomas Isabella Jacob Ruby Finley Daisy Lucas Aria Isaac Sienna Joshua "
    "Olivia Mason Chloe Ethan Phoebe Reuben Zara Aarav Maya Kai Hana Yusuf Amira Tomasz Zofia"
).split()
LAST_NAMES = (
    "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
    "Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips "
    "Mason Mitchell Rose Davis Rodriguez Cox Alexander Morgan Hughes Edwards Turner Ahmed "
    "Ali Begum Hussain Kowalski Nowak Okafor Mensah Campbell Murphy Kelly Singh Shah Price"
).split()
PROFESSIONS = {
    ServiceType.COMMUNITY_PAEDIATRICS: "Consultant community paediatrician",
    ServiceType.SPEECH_AND_LANGUAGE: "Speech and language therapist",
    ServiceType.OCCUPATIONAL_THERAPY: "Occupational therapist",
    ServiceType.PHYSIOTHERAPY: "Paediatric physiotherapist",
    ServiceType.CAMHS: "Clinical psychologist",
    ServiceType.HEALTH_VISITING: "Health visitor",
    ServiceType.SCHOOL_NURSING: "School nurse",
    ServiceType.AUDIOLOGY: "Paediatric audiologist",
    ServiceType.CONTINUING_CARE: "Continuing care nurse assessor",
    ServiceType.LEARNING_DISABILITY: "Learning disability nurse",
    ServiceType.PALLIATIVE_CARE: "Palliative care nurse specialist",
}
# Services asked most often get the largest weights.
SERVICE_WEIGHTS = {
    ServiceType.COMMUNITY_PAEDIATRICS: 10,
    ServiceType.SPEECH_AND_LANGUAGE: 9,
    ServiceType.OCCUPATIONAL_THERAPY: 6,
    ServiceType.CAMHS: 5,
    ServiceType.PHYSIOTHERAPY: 4,
    ServiceType.HEALTH_VISITING: 3,
    ServiceType.SCHOOL_NURSING: 3,
    ServiceType.AUDIOLOGY: 2,
    ServiceType.LEARNING_DISABILITY: 2,
    ServiceType.CONTINUING_CARE: 1,
    ServiceType.PALLIATIVE_CARE: 1,
}
# (description, delivered by, how often, for how long, section)
PROVISION = {
    ServiceType.SPEECH_AND_LANGUAGE: [
        (
            "Targeted language group",
            "Teaching assistant trained by SLT",
            "Twice weekly",
            "30 minutes for 12 weeks",
            "F",
        ),
        (
            "Visual timetable and Makaton signing across the day",
            "Class staff",
            "Daily",
            "Throughout the school year",
            "F",
        ),
        (
            "Direct speech sound therapy",
            "Speech and language therapist",
            "Weekly",
            "45 minutes for 8 weeks",
            "F",
        ),
    ],
    ServiceType.OCCUPATIONAL_THERAPY: [
        (
            "Sensory circuit before lessons",
            "Teaching assistant",
            "Daily",
            "15 minutes, reviewed termly",
            "F",
        ),
        (
            "Assessment for specialist seating",
            "Occupational therapist",
            "Once",
            "Review after 6 months",
            "G",
        ),
        (
            "Fine motor skills programme",
            "Teaching assistant with OT review",
            "3 times a week",
            "20 minutes for one term",
            "F",
        ),
    ],
    ServiceType.PHYSIOTHERAPY: [
        (
            "Stretching and positioning programme",
            "Trained staff",
            "Daily",
            "20 minutes, reviewed every 6 months",
            "G",
        ),
        ("Review of orthotics", "Paediatric physiotherapist", "Every 6 months", "Ongoing", "G"),
    ],
    ServiceType.CAMHS: [
        (
            "Cognitive behavioural therapy for anxiety",
            "CAMHS practitioner",
            "Weekly",
            "50 minutes for 12 sessions",
            "G",
        ),
        (
            "Consultation to school staff on emotional regulation",
            "Clinical psychologist",
            "Once a half term",
            "One school year",
            "F",
        ),
    ],
    ServiceType.AUDIOLOGY: [
        (
            "Radio aid in class and hearing aid checks",
            "Teacher of the deaf and class staff",
            "Daily checks",
            "Ongoing",
            "F",
        ),
        ("Hearing review", "Paediatric audiologist", "Every 6 months", "Ongoing", "G"),
    ],
}
GENERAL_PROVISION = [
    (
        "Medication review and epilepsy care plan",
        "Community paediatrician",
        "Every 6 months",
        "Ongoing",
        "G",
    ),
    ("Individual health care plan for school", "School nurse", "Reviewed yearly", "Ongoing", "G"),
    ("Sleep advice and sleep diary", "Health visitor", "Monthly", "6 months", "G"),
    ("Toileting programme", "School nurse with class staff", "Daily", "One term", "G"),
    (
        "Referral to dietetics for feeding difficulties",
        "Paediatric dietitian",
        "Once",
        "Review in 3 months",
        "G",
    ),
]
NEEDS = [
    "Diagnosed autism with sensory sensitivities to noise; struggles with transitions.",
    "Delayed expressive and receptive language; understands simple two-word instructions.",
    "Epilepsy, well controlled on medication; needs a seizure care plan at school.",
    "Cerebral palsy affecting both legs; uses a walking frame indoors.",
    "Anxiety affecting school attendance; low mood reported by parents.",
    "Global developmental delay; toileting and feeding need adult support.",
    "Moderate hearing loss in both ears; wears hearing aids.",
    "Fine motor difficulties affecting handwriting and dressing.",
]
OUTCOMES = [
    "By the end of Year {y} will use 3-word sentences to ask for help in class.",
    "Within 12 months will manage a change of activity with a visual prompt and no distress.",
    "By next review will attend school for at least 4 days a week.",
    "Within 6 months will dress independently after PE with one adult prompt.",
    "By the end of the key stage will walk between lessons with the frame, safely.",
]
VIEWS = [
    "I like drawing and the quiet room. Loud assembly makes my ears hurt.",
    "Says they want to have more friends at lunchtime.",
    "Told us through symbols that swimming is their favourite thing.",
    "Wants to go to college to study animal care.",
    "Parents report that they are happiest at home with their dog.",
    "",
]
LATE_NOTES = {
    LateReason.WAITING_LIST: "Child was on the waiting list for an assessment appointment.",
    LateReason.STAFFING: "Therapist on long-term sick leave; cover found late.",
    LateReason.APPOINTMENT_CAPACITY: "First available clinic appointment was after the due date.",
    LateReason.FORWARDED_LATE: "Request sent to the wrong team and forwarded a week later.",
    LateReason.REQUEST_INCOMPLETE: "Consent form missing from the LA's request.",
    LateReason.ADMINISTRATIVE: "Report typed but not sent on time.",
    LateReason.OTHER: "Family asked to move the appointment.",
}
EXCEPTION_EVIDENCE = {
    Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES: "Parent in hospital for three weeks; "
    "confirmed by the family's social worker.",
    Reg8Exception.ABSENT_FROM_AREA: "Family abroad for five weeks; dates confirmed by school "
    "attendance records.",
    Reg8Exception.MISSED_APPOINTMENT: "Did not attend the clinic appointment offered on time; "
    "letter and clinic record on file.",
}
DECLINED = [
    "Not a service for this age group; redirected to adult services.",
    "Request did not include consent; LA asked to resend.",
]
ISSUES = [
    "Speech and language therapy provision in section F and how much is needed.",
    "Whether occupational therapy should be specified and quantified.",
    "Access to CAMHS and the health provision in section G.",
    "Nursing support needed in school for medication.",
]
VOLUNTARY = ["", "Local parent carer forum", "National Autistic Society", "Scope", "Contact"]
PROCESS_WEIGHTS = [
    (Process.NEEDS_ASSESSMENT, 60),
    (Process.ANNUAL_REVIEW, 18),
    (Process.PHASE_TRANSFER, 8),
    (Process.REASSESSMENT, 6),
    (Process.MEDIATION, 4),
    (Process.TRIBUNAL, 4),
]
NEED_WEIGHTS = [  # primary need of EHC plans in England, January 2025, per 1,000
    # (docs/domain.md, "National figures")
    (PrimaryNeed.ASD, 315),
    (PrimaryNeed.SLCN, 213),
    (PrimaryNeed.SEMH, 207),
    (PrimaryNeed.MLD, 106),
    (PrimaryNeed.SLD, 39),
    (PrimaryNeed.PD, 39),
    (PrimaryNeed.SPLD, 24),
    (PrimaryNeed.HI, 14),
    (PrimaryNeed.PMLD, 13),
    (PrimaryNeed.OTH, 12),
    (PrimaryNeed.VI, 8),
    (PrimaryNeed.MSI, 3),
    (PrimaryNeed.NOT_KNOWN, 7),
]
# Ages of children and young people with plans: most of school age.
AGE_WEIGHTS = [(0, 2), (1, 2), (2, 3), (3, 4), (4, 5)] + [(a, 8) for a in range(5, 16)]
AGE_WEIGHTS += [(16, 5), (17, 5), (18, 3), (19, 3)] + [(a, 1) for a in range(20, 26)]
