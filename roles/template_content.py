"""The two national job templates that ship with the product, as plain data.

docs/domain.md, "The role": every local area shapes the DMO/DCO role differently,
so the product starts from two national models that an area copies and
adapts:

- the BACCH/BACD model job description for a Designated Medical Officer for
  SEND (2014), a DMO-only document;
- the DMO/DCO job descriptor and person specification in the Council for
  Disabled Children's Designated Medical/Clinical Officer handbook (2019),
  which covers the DCO, the DMO or both.

Both are written here in the project's own words, not quoted: every duty
and every person-specification row of the originals is kept, paraphrased in
plain English. The originals were written before clinical commissioning
groups (CCGs) were replaced by integrated care boards in July 2022, so a CCG
is written as the commissioning body (ICB).

The data migration ``roles/migrations/0002_national_templates.py`` loads
this module as version 1 of each template, published. Editing this module
later does not change a database that has already migrated: a change of
content means a new version of the template (``roles.services.start_new_version``)
or a new data migration.

Shape of each template:

- ``family``, ``kind``, ``name``, ``source``, ``summary``: the JobTemplate
  fields; ``year``: the year of the source document, used as the
  publication date;
- ``sections``: in display order, each with an ``area`` (a SectionArea
  value), a ``heading`` (blank to use the area's own label), an
  ``introduction`` and its ``duties`` as ``(text, applies_to)`` pairs, where
  applies_to is "both", "dco" or "dmo";
- ``criteria``: the person specification, as
  ``(category, text, applies_to, requirement)`` tuples.

How the originals were mapped:

- Top-level bullets are one duty each. Where a bullet has sub-bullets that
  name separate areas of work (the policy and procedure topics), each topic
  is a duty of its own, so that an area can drop or reword one. Where the
  sub-bullets only list the people to work with, they stay in one duty.
- CDC descriptor: its DCO key responsibilities are marked "dco" and its DMO
  key responsibilities "dmo"; a responsibility that appears in both lists is
  one duty marked "both", as are the job purpose and working relationships,
  which the descriptor gives for both roles. Where the DCO wording adds
  something to a shared responsibility, the addition is a separate "dco"
  duty. The person specification follows the descriptor's DCO and DMO tick
  columns exactly.
- BACCH/BACD model: a DMO-only document, so every criterion is "dmo"; duties
  that only make sense for a medical post (clinical practice, consultant
  appraisal, CPD points, the PA job plan, the DMO's limited policy role) are
  "dmo", the rest "both". Its person specification has no categories, so
  each row is placed in the category the CDC table uses for the same
  requirement.
"""

BACCH = "bacch-bacd-dmo-2014"
CDC = "cdc-dco-dmo-2019"

# Wording shared by both templates where the two originals say the same thing.
_SIT_ON_COMMITTEES = "Sit on the health and inter-agency committees that deal with SEND."
_ADVISE_AGENCIES = (
    "Advise education services, schools and other agencies, social care in particular, "
    "on health matters that affect children and young people with SEND."
)
_SUPPORT_SCHOOLS = (
    "Help schools, with the multidisciplinary health team, to meet their duties under the "
    "statutory guidance 'Supporting pupils at school with medical conditions'."
)
_ADVISE_LA_AND_ICB = "Advise the local authority and the ICB on SEND strategy and planning."
_COMMISSIONING_PRIORITIES = (
    "Help the ICB set its commissioning priorities for SEND, working with the Health and "
    "Wellbeing Board, and feed into the Joint Strategic Needs Assessment (JSNA)."
)
_CLINICALLY_ACTIVE = (
    "Keep up clinical practice, including in children's neurodevelopment and disability "
    "services, as part of the clinical role set out in the job description; this may "
    "include health assessments and reports for EHC needs assessments."
)
_EHC_ASSESSMENT_SUPPORT = (
    "Make sure every child and young person having an EHC needs assessment in the area is "
    "identified, assessed and planned for, and gets the health support they need."
)
_POINT_OF_CONTACT = (
    "Be the contact for local partners, including people who use services and voluntary "
    "sector organisations, giving advice on health and SEND so that notifications reach "
    "the right body or person."
)
_CHILDRENS_PROVIDERS = (
    "Work with all the children's health services in the area (paediatrics, specialist "
    "nursing, the therapies, CAMHS and palliative care) to put the statutory SEND "
    "requirements into practice, and agree with them who is responsible for what."
)
_ADULT_SERVICES = (
    "Work with the relevant adult health services to meet the statutory SEND requirements "
    "for young people."
)
_PRIMARY_CARE = (
    "Advise and support GPs, other primary care staff and all other healthcare providers "
    "on SEND, and keep in regular contact with them."
)
_OTHER_DESIGNATED = (
    "Work with other designated professionals, such as those for safeguarding and for "
    "looked-after children, to improve support for vulnerable children with SEND."
)
_POLICIES_UP_TO_DATE = (
    "Make sure the health parts of local SEND policies and procedures are kept up to date "
    "and shared with the people who use them."
)
_POLICY_NOTIFICATION = (
    "Keep up to date how health services notify children who have, or may have, SEND."
)
_POLICY_DISAGREEMENT = (
    "Keep up to date how disagreements about health needs or provision are resolved with "
    "parents, young people and the local authority."
)
_POLICY_BUDGETS = (
    "Keep up to date how personal budgets for the health provision in EHC plans are arranged."
)
_DMO_SUPPORTS_POLICY_OWNERS = (
    "Support the organisations and services that own these policies and procedures to "
    "develop and share them; the DMO is not expected to write and maintain them all."
)
_INFORMATION_TO_MONITOR = (
    "Tell NHS providers and commissioners what data they need to collect to track the care "
    "of children and young people with SEND."
)
_TRAINING_NEEDS = (
    "Advise on the SEND training that NHS, education and social care staff need, and help "
    "deliver it."
)
_HIGHER_TRAINING = (
    "Completed higher specialist training in a paediatric subspecialty that suits the role, "
    "such as paediatric neurodisability or community child health, or can show level 3 "
    "competences in neurodisability; competent to care for children whose health needs "
    "are complex."
)
_SEND_CLINICAL_EXPERIENCE = (
    "Extensive clinical experience of working with children and young people with SEND."
)
_CLINICAL_PRACTICE_NOW = (
    "Currently practising in a relevant clinical field, such as neurodevelopment or disability."
)
_DBS_CHECK = "An enhanced Disclosure and Barring Service (DBS) check."


TEMPLATES = [
    {
        "family": BACCH,
        "kind": "dmo",
        "year": 2014,
        "name": "Designated Medical Officer for SEND (BACCH/BACD model, 2014)",
        "source": "Model job description for a Designated Medical Officer (DMO) for SEND in "
        "England, British Association for Community Child Health (BACCH) and British "
        "Academy of Childhood Disability (BACD), 2014.",
        "summary": "The national model job description for a DMO: a consultant doctor who "
        "co-ordinates and improves health planning and practice for SEND in one or more "
        "local areas, with at least 2 PAs a week for the role. If your area appoints "
        "someone from another professional background, adapt the duties and person "
        "specification and say how the medical part of the role will be covered.",
        "sections": [
            {
                "area": "job_purpose",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Co-ordinate and improve health planning and practice for children "
                        "and young people with SEND across the district or districts the "
                        "post covers.",
                        "both",
                    ),
                ],
            },
            {
                "area": "working_relationships",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Work closely with the paediatric multidisciplinary team on "
                        "everything needed for health providers and the commissioning body "
                        "(ICB) to meet their duties to children with SEND.",
                        "both",
                    ),
                ],
            },
            {
                "area": "inter_agency",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_SIT_ON_COMMITTEES, "both"),
                    (_ADVISE_AGENCIES, "both"),
                    (_SUPPORT_SCHOOLS, "both"),
                ],
            },
            {
                "area": "advisory",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_ADVISE_LA_AND_ICB, "both"),
                    (
                        "Advise on practice guidance and policies for health staff, making "
                        "sure they are reviewed regularly and are of a high standard.",
                        "both",
                    ),
                    (_COMMISSIONING_PRIORITIES, "both"),
                ],
            },
            {
                "area": "clinical_ehc",
                "heading": "Clinical role and contribution to EHC needs assessments",
                "introduction": "",
                "duties": [
                    (_CLINICALLY_ACTIVE, "dmo"),
                    (_EHC_ASSESSMENT_SUPPORT, "both"),
                ],
            },
            {
                "area": "coordination",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_POINT_OF_CONTACT, "both"),
                    (_CHILDRENS_PROVIDERS, "both"),
                    (_ADULT_SERVICES, "both"),
                    (_PRIMARY_CARE, "both"),
                    (_OTHER_DESIGNATED, "both"),
                ],
            },
            {
                "area": "strategy",
                "heading": "Strategic direction",
                "introduction": "",
                "duties": [
                    (
                        "Set the overall strategic direction for local health services in "
                        "meeting the statutory SEND requirements: identify priorities for "
                        "development and help improve how the requirements are put into "
                        "practice.",
                        "both",
                    ),
                ],
            },
            {
                "area": "governance",
                "heading": "Policy and procedures",
                "introduction": "",
                "duties": [
                    (_POLICIES_UP_TO_DATE, "both"),
                    (_POLICY_NOTIFICATION, "both"),
                    (
                        "Keep up to date how health assessments and reports are provided "
                        "for EHC needs assessments.",
                        "both",
                    ),
                    (
                        "Keep up to date how health provision is recommended for, and "
                        "delivered through, EHC plans.",
                        "both",
                    ),
                    (_POLICY_DISAGREEMENT, "both"),
                    (_POLICY_BUDGETS, "both"),
                    (_DMO_SUPPORTS_POLICY_OWNERS, "dmo"),
                ],
            },
            {
                "area": "training",
                "heading": "",
                "introduction": "",
                "duties": [(_TRAINING_NEEDS, "both")],
            },
            {
                "area": "monitoring",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_INFORMATION_TO_MONITOR, "both"),
                    # The original reads "clinical expertise and for professionals": a
                    # word is missing; "support" is the likely one.
                    (
                        "Give clinical expertise and support to the professionals who "
                        "contribute to SEND processes.",
                        "both",
                    ),
                    (
                        "Oversee plans to improve the health support that children and young "
                        "people with SEND receive.",
                        "both",
                    ),
                ],
            },
            {
                "area": "personal_development",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Keep skills in the field current by going to relevant regional and "
                        "national continuing professional development (CPD) events: at "
                        "least 4 CPD points a year, or more if individual needs call for it.",
                        "dmo",
                    ),
                ],
            },
            {
                "area": "appraisal",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Have an appraisal every year with an accredited consultant "
                        "appraiser, covering both the provider and the commissioning sides "
                        "of the role.",
                        "dmo",
                    ),
                ],
            },
            {
                "area": "accountability",
                "heading": "",
                "introduction": "The post is based in paediatric and child health services.",
                "duties": [
                    (
                        "Answer to the employing trust's chief executive and to the lead "
                        "commissioner at the commissioning body (ICB).",
                        "both",
                    ),
                ],
            },
            {
                "area": "job_plan",
                "heading": "Sessional commitment and job plan",
                "introduction": "The model job plan totals 2.0 PAs a week, for a post "
                "covering one commissioning body (ICB) and one local authority with a child "
                "population of up to 70,000.",
                "duties": [
                    (
                        "Spend at least 2 PAs (programmed activities) a week on the role. "
                        "This is the minimum for any DMO post, and covers one commissioning "
                        "body (ICB) and one local authority with up to 70,000 children.",
                        "dmo",
                    ),
                    (
                        "Extra PAs are needed where the post covers more than one "
                        "commissioning body or local authority, or more than 70,000 "
                        "children. The ICB and the provider agree the extra time locally; "
                        "it need not be pro rata (2 PAs for every 70,000 children).",
                        "dmo",
                    ),
                ],
            },
        ],
        # The model lists what the DMO "should" have without saying essential or
        # desirable, or giving categories: every row is read as essential, and each is
        # put in the category the CDC table uses for the same requirement.
        "criteria": [
            (
                "qualifications",
                "Medically qualified and employed at consultant level (or equivalent) by a "
                "trust that provides children's services.",
                "dmo",
                "essential",
            ),
            ("qualifications", _HIGHER_TRAINING, "dmo", "essential"),
            ("experience", _SEND_CLINICAL_EXPERIENCE, "dmo", "essential"),
            (
                "knowledge",
                "Current knowledge of the law and regulations on SEND.",
                "dmo",
                "essential",
            ),
            ("experience", _CLINICAL_PRACTICE_NOW, "dmo", "essential"),
            ("skills", "Strong negotiating and leadership skills.", "dmo", "essential"),
            # The original says "DRB", taken to mean the DBS check.
            ("other", _DBS_CHECK, "dmo", "essential"),
        ],
    },
    {
        "family": CDC,
        "kind": "dco_dmo",
        "year": 2019,
        "name": "Designated Clinical and Medical Officer for SEND (CDC job descriptor, 2019)",
        "source": "DMO/DCO job descriptor and person specification in the Designated "
        "Medical/Clinical Officer handbook, Council for Disabled Children (CDC), 2019.",
        "summary": "A combined job description for a DCO, a DMO or both, which the Council "
        "for Disabled Children built from advertised posts; each duty and criterion is "
        "marked for the DCO, the DMO or both, and the DMO duties follow the BACCH/BACD "
        "model. It is a starting point, not a fixed list: adapt it to what your area "
        "expects of the role and to whether it appoints a DMO, a DCO or both.",
        "sections": [
            {
                "area": "job_purpose",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "With any other designated officer in the area, make sure local "
                        "health services meet both the letter and the intent of the SEND "
                        "law and Code of Practice, so that outcomes improve for children and "
                        "young people with SEND.",
                        "both",
                    ),
                    (
                        "Work for the best possible outcomes for children and young people "
                        "with SEND: a better quality of life, fewer school absences, better "
                        "mental and physical health, more independence, progress into "
                        "further education and work, independent living and inclusion in "
                        "the community.",
                        "both",
                    ),
                    (
                        "Support the commissioning body (ICB) to meet its statutory duties "
                        "to children and young people with SEND aged 0 to 25.",
                        "both",
                    ),
                ],
            },
            {
                "area": "working_relationships",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Champion the needs of children with SEND with social care, "
                        "education and health providers and other stakeholders.",
                        "both",
                    ),
                    (
                        "Build, support and help grow networks of the people involved in "
                        "delivering SEND services, such as families, commissioners and "
                        "providers.",
                        "both",
                    ),
                    (
                        "Work with regulators and commissioners to keep improving the "
                        "quality of support and services in the ICB area.",
                        "both",
                    ),
                    (
                        "Give and receive highly complex and sensitive information with "
                        "these stakeholders where agreement or co-operation is needed and "
                        "people may resist change.",
                        "both",
                    ),
                    (
                        "Communicate clearly with ICB staff; children and young people and "
                        "their families or carers; schools, colleges and early years "
                        "settings; GP practices; clinicians in primary, secondary and "
                        "tertiary care; local authorities; the commissioning support team; "
                        "clinical leads for workstreams; parent carer forums; and the Youth "
                        "Parliament.",
                        "both",
                    ),
                ],
            },
            {
                "area": "inter_agency",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_SIT_ON_COMMITTEES, "both"),
                    (_ADVISE_AGENCIES, "both"),
                    (_SUPPORT_SCHOOLS, "both"),
                ],
            },
            {
                "area": "advisory",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_ADVISE_LA_AND_ICB, "dmo"),
                    # DCO "advisory services on guidance and policies" and DMO "advise on
                    # practice guidance and policies": shared. The DCO's advice to the
                    # board is the next duty.
                    (
                        "Advise on practice guidance and policies for health staff working "
                        "with children and young people with SEND, making sure they are "
                        "reviewed regularly and are of a high standard.",
                        "both",
                    ),
                    (
                        "Advise the ICB board on its statutory SEND duties and on putting "
                        "the SEND reforms into practice.",
                        "dco",
                    ),
                    (
                        "Write, review, manage and update the ICB's SEND policies and "
                        "procedures so that they reflect current statutory guidance, and "
                        "share them across the ICB and local health services.",
                        "dco",
                    ),
                    (
                        "Be an expert source of information, advice, guidance and support "
                        "on the health of children and young people with SEND, for families "
                        "and professionals.",
                        "dco",
                    ),
                    (
                        "Give information and advice as the Local Offer is reviewed.",
                        "dco",
                    ),
                    (_COMMISSIONING_PRIORITIES, "both"),
                    (
                        "Advise the local authority on commissioning health services "
                        "strategically so that they meet the education, training and social "
                        "care needs of children with SEND, including an annual report on "
                        "activity, demand and gaps in services.",
                        "dco",
                    ),
                    (
                        "Promote joint commissioning by building a shared understanding of "
                        "the needs of children and young people with SEND, managing "
                        "relationships well and, where possible, agreeing solutions across "
                        "the whole system with partner agencies.",
                        "dco",
                    ),
                    (
                        "Make sure there are ways to assure the ICB and the local authority "
                        "about how health providers identify, assess, advise on and support "
                        "children and young people who need an EHC plan.",
                        "dco",
                    ),
                    (
                        "Make sure there are arrangements for smooth moves from children's "
                        "to adult health services and for preparing young people for "
                        "adulthood, including annual health checks and health assessments "
                        "for 18 to 25 year olds.",
                        "dco",
                    ),
                    (
                        "Lead on SEND for the ICB and be its source of expertise, including "
                        "advice on strategic commissioning.",
                        "dco",
                    ),
                    (
                        "Make sure schools and colleges can get the right specialist advice "
                        "when meeting their duties to pupils with medical conditions, "
                        "working with the multidisciplinary health team.",
                        "dco",
                    ),
                ],
            },
            {
                "area": "clinical_ehc",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_CLINICALLY_ACTIVE, "dmo"),
                    # DCO (under Advisory, EHC plans) and DMO (clinical role) say the same
                    # for needs assessments; the DCO adds annual reviews, the next duty.
                    (_EHC_ASSESSMENT_SUPPORT, "both"),
                    (
                        "Make sure health support and advice are available for the annual "
                        "reviews of existing EHC plans.",
                        "dco",
                    ),
                    (
                        "Support and advise on how EHC plans are set out and written, so "
                        "that they are of sufficient and consistent quality, and help "
                        "resolve operational problems.",
                        "dco",
                    ),
                ],
            },
            {
                "area": "coordination",
                "heading": "",
                "introduction": "",
                "duties": [
                    # DMO "engage and liaise with children's health providers" and DCO
                    # "enable implementation ... with paediatricians, nurses, therapists,
                    # CAMHS and palliative care": shared.
                    (_CHILDRENS_PROVIDERS, "both"),
                    (
                        "For EHC plans, work with all relevant health providers, including "
                        "GPs and continuing healthcare services, and with children's and "
                        "adults' commissioning managers, to meet the statutory SEND "
                        "requirements and agree who does what.",
                        "dco",
                    ),
                    (_PRIMARY_CARE, "both"),
                    (
                        "Work with education, social care and health partners to make sure "
                        "EHC plans go through sound quality assurance.",
                        "dco",
                    ),
                    (
                        "Make sure partners work together to co-ordinate the move to adult "
                        "services, health included, for children and young people with an "
                        "EHC plan.",
                        "dco",
                    ),
                    (_ADULT_SERVICES, "dmo"),
                    (
                        "Work with partners on how personal health budgets are offered to "
                        "eligible children and young people aged 0 to 25 with an EHC plan.",
                        "dco",
                    ),
                    (
                        "Be the contact for families who ask for mediation on the health "
                        "parts of an EHC plan.",
                        "dco",
                    ),
                    (
                        "Work with education, social care and health partners so that "
                        "vulnerable groups, such as looked-after children, children educated "
                        "at home and those known to youth justice services, have their needs "
                        "understood and their support well co-ordinated.",
                        "dco",
                    ),
                    (_OTHER_DESIGNATED, "dmo"),
                    (
                        "Work with other DCOs and DMOs to build networks for sharing "
                        "experience and good practice.",
                        "dco",
                    ),
                    (_POINT_OF_CONTACT, "dmo"),
                ],
            },
            {
                "area": "strategy",
                "heading": "",
                "introduction": "",
                "duties": [
                    (
                        "Plan and carry out the local area's SEND improvement plan with "
                        "senior education and social care partners.",
                        "dco",
                    ),
                    (
                        "Contribute to the Joint Strategic Needs Assessment for children and "
                        "young people so that those with SEND are recognised in it.",
                        "dco",
                    ),
                    (
                        "Lead and influence change in systems and culture across "
                        "organisations to deliver the SEND reforms.",
                        "dco",
                    ),
                    (
                        "Advise health providers and commissioners on the information and "
                        "data they need about children and young people, including "
                        "monitoring data and future trends.",
                        "dco",
                    ),
                    (
                        "Prepare information, and make sure there is a contact, for local "
                        "authorities, schools and colleges that want health advice about "
                        "children and young people who may have SEN or a disability.",
                        "dco",
                    ),
                    (
                        "Be the contact for the ICB and health providers so that they can "
                        "tell the local authority about children below compulsory school "
                        "age they believe may have SEN or a disability.",
                        "dco",
                    ),
                    (
                        "Contribute to the JSNA, the ICB's commissioning intentions and the "
                        "local authority's health commissioning so that health services "
                        "meet the needs of children and young people with SEN or a "
                        "disability and follow the SEND Code of Practice, including mental "
                        "health, newborn screening, the Healthy Child Programme, long-term "
                        "conditions and specialist care in schools and colleges.",
                        "dco",
                    ),
                ],
            },
            {
                "area": "workforce",
                "heading": "Workforce engagement and development",
                "introduction": "",
                "duties": [
                    (
                        "Involve health organisations in the SEND improvement workstreams "
                        "that touch health services.",
                        "dco",
                    ),
                    (
                        "Raise knowledge and understanding of SEND so that children's and "
                        "young people's needs are reflected at every level of each "
                        "organisation and across organisations.",
                        "dco",
                    ),
                    (
                        "Set up ways of keeping health partners informed of new SEND "
                        "information and guidance.",
                        "dco",
                    ),
                    (
                        "Evaluate the DCO role and its work plan with a broad range of "
                        "stakeholders.",
                        "dco",
                    ),
                    (
                        "Advise on the SEND training that NHS, education and social care "
                        "staff need, and make sure the right training is identified and "
                        "given by competent, accredited trainers.",
                        "dco",
                    ),
                ],
            },
            {
                "area": "governance",
                "heading": "",
                "introduction": "",
                "duties": [
                    (_POLICIES_UP_TO_DATE, "both"),
                    (
                        "Find gaps in these policies and procedures and agree solutions "
                        "across the local system.",
                        "dco",
                    ),
                    (_POLICY_NOTIFICATION, "both"),
                    (
                        "Keep up to date how health assessments and reports for statutory "
                        "EHC needs assessments are provided on time.",
                        "both",
                    ),
                    # The DMO list has one topic, "recommendation and delivery" of health
                    # provision; the DCO list splits it in two. Both topics are shared.
                    (
                        "Keep up to date how health provision is recommended for EHC plans, "
                        "and make sure this happens in the most suitable forum.",
                        "both",
                    ),
                    (
                        "Keep up to date how the health provision in EHC plans is delivered, "
                        "and make sure it is delivered properly.",
                        "both",
                    ),
                    (_POLICY_DISAGREEMENT, "both"),
                    (_POLICY_BUDGETS, "both"),
                    (
                        "Set up and maintain all of these policies and procedures in line "
                        "with the SEND Code of Practice, helping the organisations and "
                        "services concerned to develop and share them.",
                        "dco",
                    ),
                    (_DMO_SUPPORTS_POLICY_OWNERS, "dmo"),
                    (
                        "Set up and monitor a quality assurance framework for health's part "
                        "in the EHC plan process.",
                        "dco",
                    ),
                    (_INFORMATION_TO_MONITOR, "dco"),
                    (
                        "Check that the ICB, NHS trusts and NHS foundation trusts tell the "
                        "local authority when they think a child under compulsory school "
                        "age has, or probably has, SEN or a disability (Children and "
                        "Families Act 2014, section 23).",
                        "dco",
                    ),
                    (
                        "Give the ICB a quarterly update on SEND, and share an annual report "
                        "with the SEND governance board.",
                        "dco",
                    ),
                ],
            },
        ],
        # The descriptor's table has DCO and DMO tick columns but no essential or
        # desirable column. The registered GP row says "(optional)", so it is desirable;
        # every other row is read as essential. The handbook says the whole
        # specification is a starting point for each area to adapt.
        "criteria": [
            (
                "qualifications",
                "Registered nurse, specialist community public health nurse (children and "
                "families), or qualified and registered therapist such as an occupational "
                "therapist, speech and language therapist or physiotherapist.",
                "dco",
                "essential",
            ),
            (
                "qualifications",
                "Registration as a general practitioner (an option, not a requirement).",
                "both",
                "desirable",
            ),
            (
                "qualifications",
                "Fully trained paediatrician with current registration.",
                "dmo",
                "essential",
            ),
            # The original reads "Paediatric, Neurodisability": taken as paediatric
            # neurodisability, as in the BACCH/BACD model it is based on.
            ("qualifications", _HIGHER_TRAINING, "dmo", "essential"),
            (
                "qualifications",
                "First or master's degree in a relevant subject, or equivalent knowledge "
                "and experience.",
                "dco",
                "essential",
            ),
            (
                "knowledge",
                "Expert, highly developed knowledge of the SEND agenda, the law that "
                "governs it, and national and local policy and guidance on good practice.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Able to develop, write, update and put into practice SEN policies and "
                "practice guidance.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Understanding of everything that affects outcomes for children, young "
                "people and families, especially children and young people with SEND.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Understanding of the main issues facing health services, including service "
                "modernisation, local commissioning and national NHS reform policy.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Detailed understanding of commissioning in complex multi-agency settings, "
                "including health needs assessment, process mapping and gap analysis.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Knowledge of children's rights and the law that protects them, their "
                "effect nationally and internationally, and how they change with the "
                "political, social and economic context.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Thorough, specialist knowledge of the Children and Families Act 2014, the "
                "Care Act 2014, the continuing care framework and the SEND Code of Practice "
                "0 to 25, and of other relevant law, national and local policy and guidance "
                "on good practice.",
                "both",
                "essential",
            ),
            (
                "knowledge",
                "Understanding of budgets and finance across health, education and social care.",
                "both",
                "essential",
            ),
            # Ticked for the DCO only in the descriptor's table, although the BACCH/BACD
            # model asks it of the DMO: kept as the table has it.
            ("experience", _SEND_CLINICAL_EXPERIENCE, "dco", "essential"),
            (
                "experience",
                "Experience of working in partnership with local authorities and other agencies.",
                "both",
                "essential",
            ),
            ("experience", _CLINICAL_PRACTICE_NOW, "both", "essential"),
            (
                "experience",
                "Experience of working with schools or colleges, or with children with SEN "
                "and their parents or carers, or both.",
                "both",
                "essential",
            ),
            (
                "experience",
                "Experience of leading teams and of working across organisations with many "
                "stakeholders.",
                "both",
                "essential",
            ),
            (
                "experience",
                "A track record of designing, developing and delivering programmes of work "
                "together with people with learning disabilities and family carers.",
                "both",
                "essential",
            ),
            (
                "experience",
                "Experience of contributing to data collection, evaluation and writing reports.",
                "both",
                "essential",
            ),
            (
                "experience",
                "Experience of weighing information and evidence to reach sound, reasoned "
                "judgements and recommendations among many possible options.",
                "both",
                "essential",
            ),
            (
                "skills",
                "Able to spot risks, foresee problems, and find and carry out solutions in "
                "projects or service delivery.",
                "both",
                "essential",
            ),
            ("skills", "Able to plan and carry out work without supervision.", "both", "essential"),
            (
                "skills",
                "Proven leadership, personal and professional, with a focus on engaging "
                "people and delivering results.",
                "both",
                "essential",
            ),
            (
                "skills",
                "Proven ability to influence people and decisions beyond own area of control.",
                "both",
                "essential",
            ),
            ("skills", "Welcomes change as a chance to learn and develop.", "both", "essential"),
            (
                "skills",
                "Able to advise on the SEND training that NHS, education and social care "
                "staff need, and to help deliver it.",
                "both",
                "essential",
            ),
            (
                "other",
                "Able to travel widely across the local area and region, and sometimes nationally.",
                "both",
                "essential",
            ),
            # The original says "CRB", which the DBS replaced in 2012.
            ("other", _DBS_CHECK, "both", "essential"),
            ("other", "Confident with a wide range of everyday IT.", "both", "essential"),
        ],
    },
]
