"""Word lists for the demo job search: names, fictional companies, roles, places and the words of its ledger.

Everything here is invented. Companies are fictional (several are Microsoft's well-known sample names) and
their mail lives under the reserved `.example` top-level domain (RFC 2606); telephone numbers use the ranges
set aside for fiction where a country has one (555-01xx in North America, 020 7946 0xxx in London).
Plain module-level tuples only: the logic that picks from them is in `followup.services.demo_story` and
`followup.services.demo`.
"""

from __future__ import annotations

FIRST_NAMES: tuple[str, ...] = (
    "Aarav", "Abena", "Adebayo", "Aditi", "Ahmed", "Aiko", "Alejandro", "Alessia", "Amara", "Ana",
    "Anders", "Aneesh", "Anja", "Arjun", "Astrid", "Ayesha", "Bao", "Beatriz", "Bilal", "Camille",
    "Carlos", "Chen", "Chiara", "Chidi", "Chloé", "Daniel", "Dario", "Deepa", "Diego", "Dmitri",
    "Elena", "Elif", "Emeka", "Emma", "Erik", "Esther", "Fatima", "Felix", "Femi", "Fiona",
    "Francesca", "Gabriel", "Giulia", "Grace", "Hamid", "Hana", "Hannah", "Haruto", "Ibrahim", "Ines",
    "Ingrid", "Isabel", "Ivan", "Jae-won", "Jakub", "James", "Javier", "Jin", "João", "Joon",
    "Julia", "Kai", "Kamala", "Karin", "Kavya", "Kenji", "Kofi", "Lars", "Layla", "Leila",
    "Liam", "Lina", "Luca", "Lucía", "Mai", "Malik", "Marek", "Maria", "Mariam", "Mateo",
    "Mehmet", "Mei", "Mia", "Miguel", "Mohammed", "Nadia", "Naledi", "Nikhil", "Nina", "Noah",
    "Nour", "Olga", "Olumide", "Omar", "Pablo", "Paulina", "Pedro", "Pooja", "Priya", "Rafael",
    "Rahul", "Rania", "Rosa", "Ruth", "Sakura", "Samuel", "Sanjay", "Sara", "Sebastián", "Seo-yeon",
    "Shira", "Siddharth", "Siobhan", "Sofia", "Sven", "Tariq", "Thandiwe", "Tomás", "Valentina", "Wei",
    "Yara", "Yusuf", "Zainab", "Zoe",
)  # fmt: skip

FAMILY_NAMES: tuple[str, ...] = (
    "Adeyemi", "Agarwal", "Ahn", "Almeida", "Andersen", "Bakker", "Banerjee", "Becker", "Bergström",
    "Bianchi", "Brennan", "Campbell", "Castillo", "Chatterjee", "Chen", "Cohen", "Costa", "Dahl", "Das",
    "de Vries", "Dimitrov", "Dlamini", "Dubois", "Eriksson", "Esposito", "Fernández", "Fischer",
    "Fitzgerald", "García", "Ghosh", "González", "Gupta", "Haddad", "Hansen", "Hashemi", "Hernández",
    "Hoffmann", "Hughes", "Ibáñez", "Ivanova", "Iyer", "Jansen", "Jensen", "Jovanović", "Kaur", "Kim",
    "Kowalski", "Kumar", "Larsen", "Laurent", "Lee", "Li", "Lindqvist", "Liu", "López", "Mahlaba", "Malik",
    "Mansour", "Martin", "Martínez", "Mehta", "Mensah", "Moreau", "Müller", "Murphy", "Nakamura", "Nguyen",
    "Novak", "Nowak", "O'Brien", "Okafor", "Okonkwo", "Olsen", "Ortiz", "Osei", "Park", "Patel", "Pereira",
    "Petrov", "Pham", "Popescu", "Quispe", "Rahman", "Ramírez", "Rao", "Reddy", "Reyes", "Ricci",
    "Rodríguez", "Romano", "Rossi", "Saito", "Santos", "Schmidt", "Schneider", "Sharma", "Silva", "Singh",
    "Smith", "Sokolov", "Suzuki", "Takahashi", "Tanaka", "Tran", "van den Berg", "Varga", "Wagner", "Walsh",
    "Wang", "Watanabe", "Weber", "Williams", "Wójcik", "Yamamoto", "Yildiz", "Zhang", "Zhou", "Zielińska",
    "Abdi",
)  # fmt: skip

# (name, mail domain). Fictional; the first two dozen are Microsoft's long-standing sample companies.
COMPANIES: tuple[tuple[str, str], ...] = (
    ("Northwind Traders", "northwind.example"), ("Contoso", "contoso.example"),
    ("Fabrikam", "fabrikam.example"), ("Tailspin Toys", "tailspintoys.example"),
    ("Wingtip Toys", "wingtiptoys.example"), ("Adventure Works Cycles", "adventure-works.example"),
    ("Woodgrove Bank", "woodgrovebank.example"), ("Litware", "litware.example"),
    ("Proseware", "proseware.example"), ("Fourth Coffee", "fourthcoffee.example"),
    ("Alpine Ski House", "alpineskihouse.example"), ("Lucerne Publishing", "lucernepublishing.example"),
    ("Wide World Importers", "wideworldimporters.example"), ("Coho Winery", "cohowinery.example"),
    ("Trey Research", "treyresearch.example"), ("Humongous Insurance", "humongousinsurance.example"),
    ("Relecloud", "relecloud.example"), ("Tailwind Traders", "tailwindtraders.example"),
    ("Consolidated Messenger", "consolidatedmessenger.example"), ("Lamna Healthcare", "lamna.example"),
    ("A. Datum Corporation", "adatum.example"), ("Southridge Video", "southridgevideo.example"),
    ("City Power & Light", "cpandl.example"), ("VanArsdel", "vanarsdel.example"),
    ("Quillmark Analytics", "quillmark.example"), ("Harborlight Health", "harborlight.example"),
    ("Fernbrook Logistics", "fernbrook.example"), ("Saltmarsh Robotics", "saltmarsh.example"),
    ("Ironbark Security", "ironbark.example"), ("Lumenfield Energy", "lumenfield.example"),
    ("Pinecrest Payments", "pinecrestpay.example"), ("Tidewell Maritime", "tidewell.example"),
    ("Larkspur Learning", "larkspur.example"), ("Orchard Lane Foods", "orchardlane.example"),
    ("Halcyon Biotech", "halcyonbio.example"), ("Kitefin Mobility", "kitefin.example"),
    ("Gravelpath Maps", "gravelpath.example"), ("Cobaltwave Networks", "cobaltwave.example"),
    ("Amberline Insurance", "amberline.example"), ("Velvetleaf Studios", "velvetleaf.example"),
    ("Brightmoor Hospitals", "brightmoor.example"), ("Foxglove Genomics", "foxglove.example"),
    ("Juniper Row Retail", "juniperrow.example"), ("Stonebridge Civic Data", "stonebridge.example"),
    ("Riverbend Credit Union", "riverbendcu.example"), ("Hollowtree Games", "hollowtree.example"),
    ("Marigold Travel", "marigoldtravel.example"), ("Sablecrest Capital", "sablecrest.example"),
    ("Windrose Aerospace", "windrose.example"), ("Tessellate Labs", "tessellate.example"),
    ("Otterbrook Media", "otterbrook.example"), ("Greyheron Freight", "greyheron.example"),
    ("Bramblecloud", "bramblecloud.example"), ("Quayside Pharmacy Group", "quayside.example"),
    ("Nimbleroot Software", "nimbleroot.example"), ("Thistledown Education", "thistledown.example"),
    ("Kelpie Climate", "kelpie.example"), ("Moorhen Mortgages", "moorhen.example"),
    ("Cinderford Steel", "cinderford.example"), ("Lanternfish Data", "lanternfish.example"),
)  # fmt: skip

# The large demo needs more organisations than a person applies to: stem x kind, e.g. "Alder Analytics".
COMPANY_STEMS: tuple[str, ...] = (
    "Alder", "Bellwether", "Birchfield", "Bluewren", "Bracken", "Caraway", "Cloverleaf", "Cormorant",
    "Dovetail", "Driftwood", "Eastgate", "Elmstead", "Firwood", "Flintlock", "Gannet", "Glenmore",
    "Hawthorn", "Heathrow Lane", "Hollyhock", "Inkwell", "Kestrelmoor", "Lakemont", "Linden", "Lodestar",
    "Maplewood", "Moss Hill", "Nettlebed", "Oakhurst", "Pebblecreek", "Quarrystone", "Redpoll", "Rowan",
    "Saffron", "Sandpiper", "Silverbirch", "Sorrel", "Thornbury", "Wagtail", "Willowmere", "Yarrow",
)  # fmt: skip
COMPANY_KINDS: tuple[str, ...] = (
    "Analytics", "Health", "Logistics", "Labs", "Payments", "Robotics", "Energy", "Media", "Foods",
    "Learning", "Security", "Systems", "Mobility", "Games", "Insurance", "Bank", "Software", "Biotech",
)  # fmt: skip

ROLE_TITLES: tuple[str, ...] = (
    "Data Engineer", "Senior Data Engineer", "Staff Backend Engineer", "Backend Engineer (Python)",
    "Senior Software Engineer", "Software Engineer, Platform", "Site Reliability Engineer",
    "Platform Engineer", "Machine Learning Engineer", "Senior ML Engineer, Ranking", "Data Scientist",
    "Analytics Engineer", "Product Designer", "Senior Product Designer", "UX Researcher",
    "Product Manager", "Senior Product Manager, Payments", "Technical Program Manager",
    "Engineering Manager", "Engineering Manager, Data Platform", "Frontend Engineer (React)",
    "Full-Stack Engineer", "Mobile Engineer (iOS)", "Android Engineer", "Security Engineer",
    "Cloud Infrastructure Engineer", "DevOps Engineer", "Database Reliability Engineer",
    "Solutions Architect", "Developer Advocate", "QA Automation Engineer", "Embedded Software Engineer",
    "Principal Engineer", "Staff Data Scientist", "BI Developer", "Data Platform Lead",
    "Head of Data", "Technical Writer", "Customer Engineer", "Research Engineer",
)  # fmt: skip

RECRUITER_TITLES: tuple[str, ...] = (
    "Technical Recruiter", "Senior Technical Recruiter", "Talent Partner", "Talent Acquisition Lead",
    "Recruiting Coordinator", "Engineering Recruiter", "Head of Talent", "Sourcer",
)  # fmt: skip
MANAGER_TITLES: tuple[str, ...] = (
    "Engineering Manager", "Director of Engineering", "Head of Data", "VP Engineering",
    "Design Manager", "Group Product Manager", "Data Platform Lead", "CTO",
)  # fmt: skip
INTERVIEWER_TITLES: tuple[str, ...] = (
    "Senior Software Engineer", "Staff Engineer", "Principal Engineer", "Data Engineer",
    "Senior Data Scientist", "Product Designer", "Product Manager", "Site Reliability Engineer",
    "Tech Lead", "Engineering Manager", "ML Engineer", "Security Engineer",
)  # fmt: skip
NETWORK_TITLES: tuple[str, ...] = (
    "Software Engineer", "Engineering Manager", "Freelance Consultant", "Founder", "Product Manager",
    "Data Scientist", "Career Coach", "Designer", "Professor of Computer Science", "CTO",
)  # fmt: skip

# (city, ISO country, IANA zone)
PLACES: tuple[tuple[str, str, str], ...] = (
    ("New York, NY", "US", "America/New_York"), ("Boston, MA", "US", "America/New_York"),
    ("Chicago, IL", "US", "America/Chicago"), ("Austin, TX", "US", "America/Chicago"),
    ("Denver, CO", "US", "America/Denver"), ("Seattle, WA", "US", "America/Los_Angeles"),
    ("San Francisco, CA", "US", "America/Los_Angeles"), ("Toronto, ON", "CA", "America/Toronto"),
    ("Vancouver, BC", "CA", "America/Vancouver"), ("London", "GB", "Europe/London"),
    ("Manchester", "GB", "Europe/London"), ("Edinburgh", "GB", "Europe/London"),
    ("Dublin", "IE", "Europe/Dublin"), ("Berlin", "DE", "Europe/Berlin"), ("Munich", "DE", "Europe/Berlin"),
    ("Amsterdam", "NL", "Europe/Amsterdam"), ("Rotterdam", "NL", "Europe/Amsterdam"),
    ("Paris", "FR", "Europe/Paris"), ("Madrid", "ES", "Europe/Madrid"), ("Lisbon", "PT", "Europe/Lisbon"),
    ("Stockholm", "SE", "Europe/Stockholm"), ("Warsaw", "PL", "Europe/Warsaw"),
    ("Zurich", "CH", "Europe/Zurich"), ("Bengaluru", "IN", "Asia/Kolkata"), ("Pune", "IN", "Asia/Kolkata"),
    ("Singapore", "SG", "Asia/Singapore"), ("Sydney", "AU", "Australia/Sydney"),
    ("Tokyo", "JP", "Asia/Tokyo"), ("São Paulo", "BR", "America/Sao_Paulo"),
    ("Mexico City", "MX", "America/Mexico_City"), ("Cape Town", "ZA", "Africa/Johannesburg"),
    ("Lagos", "NG", "Africa/Lagos"),
)  # fmt: skip
WORK_MODES: tuple[str, ...] = ("{city}", "{city} (hybrid)", "{city} (on-site)", "Remote ({country})")

# "#" is any digit. North America and London use the numbers reserved for fiction.
PHONE_PATTERNS: dict[str, str] = {
    "US": "+1 312 555 01##", "CA": "+1 416 555 01##", "GB": "+44 20 7946 0###", "IE": "+353 1 555 ####",
    "DE": "+49 30 5550 ####", "NL": "+31 20 555 ####", "FR": "+33 1 55 55 ## ##", "ES": "+34 91 555 ####",
    "PT": "+351 21 555 ####", "SE": "+46 8 555 ####", "PL": "+48 22 555 ####", "CH": "+41 44 555 ####",
    "IN": "+91 80 5555 ####", "SG": "+65 6555 ####", "AU": "+61 2 5550 ####", "JP": "+81 3 5555 ####",
    "BR": "+55 11 5555 ####", "MX": "+52 55 5555 ####", "ZA": "+27 21 555 ####", "NG": "+234 1 555 ####",
}  # fmt: skip

PERSONAL_MAIL_DOMAINS: tuple[str, ...] = ("mail.example", "inbox.example", "post.example", "fastpost.example")
USER_MAIL_DOMAIN = "mail.example"

# Shape of the large demo: share of opportunities per final stage and per source, and how much of the
# conversation an opportunity gets by how far it went.
LARGE_STAGE_MIX: dict[str, float] = {
    "applied": 0.30, "lead": 0.15, "screening": 0.10, "interviewing": 0.03, "offer": 0.02, "accepted": 0.005,
    "rejected": 0.20, "cold": 0.11, "filled": 0.04, "withdrawn": 0.045,
}  # fmt: skip
SOURCE_MIX: dict[str, float] = {
    "job-board": 0.35, "company-site": 0.2, "referral": 0.15, "recruiter": 0.15, "network": 0.1,
    "other": 0.05,
}  # fmt: skip
STAGE_WEIGHTS: dict[str, float] = {
    "lead": 0.5, "applied": 0.7, "screening": 1.2, "interviewing": 2.0, "offer": 2.5, "accepted": 2.5,
    "rejected": 1.0, "filled": 2.0, "withdrawn": 1.3, "cold": 0.8,
}  # fmt: skip
# Business days between an open opportunity's last event and today.
OPEN_LAG: dict[str, tuple[int, int]] = {
    "lead": (1, 8), "applied": (1, 12), "screening": (1, 6), "interviewing": (1, 5), "offer": (1, 3),
}  # fmt: skip
# (stage, source) of the small demo: every stage, and every source that brings a different cast.
SMALL_PLAN: tuple[tuple[str, str], ...] = (
    ("lead", "network"), ("lead", "recruiter"), ("applied", "referral"), ("applied", "job-board"),
    ("screening", "recruiter"), ("interviewing", "referral"), ("interviewing", "company-site"),
    ("offer", "network"), ("accepted", "referral"), ("rejected", "job-board"), ("filled", "company-site"),
    ("withdrawn", "recruiter"), ("cold", "job-board"),
)  # fmt: skip

SOURCE_NOTES: dict[str, tuple[str, ...]] = {
    "job-board": ("Found on a job board; posting is two days old.", "Job-board alert for the title."),
    "company-site": ("Saw it on their careers page.", "Careers page, via their engineering blog."),
    "referral": ("A friend on the team offered to refer me.", "Former colleague works there now."),
    "recruiter": ("Recruiter reached out on LinkedIn.", "Inbound from their in-house recruiter."),
    "network": ("Came up over coffee with a former manager.", "Heard about it at a meetup."),
    "other": ("Mentioned in a newsletter.", "Came up in a podcast interview with their CTO."),
}  # fmt: skip

OPPORTUNITY_NOTES: tuple[str, ...] = (
    "Team is rebuilding the billing pipeline on streaming; strong overlap with my Kafka work.",
    "Series B, ~120 people; they say the role is new, reports to the head of data.",
    "Salary band posted: fits. Four days remote, one in the office.",
    "Greenfield platform team; on-call one week in six.",
    "Visa sponsorship available; relocation package mentioned in the posting.",
    "Product is used by hospitals; heavy compliance (HIPAA, SOC 2).",
    "They migrated from a monolith to services last year and want help with observability.",
    "Small team (5), lots of ownership; stack is Python, Postgres, dbt, Airflow.",
    "Role sits between design and research; portfolio review is part of the process.",
    "Hiring for two seats; recruiter says the process is four rounds over three weeks.",
    "Glassdoor reviews mention long hours before releases; ask about it.",
    "Remote-first, async culture; written exercise instead of live coding.",
    "Mission fit: climate data. Equity-heavy offer likely.",
    "Contract-to-hire, six months; day rate to be discussed.",
    "Internal mobility freeze lifted in Q3; new headcount approved.",
)

CALL_NOTES: tuple[str, ...] = (
    "30-minute recruiter screen: salary expectations, notice period, work authorisation.",
    "Talked through the team structure and the on-call rotation.",
    "Went over my background; they will share the take-home this week.",
    "Discussed timeline: they hope to decide before the end of the month.",
    "Quick call to reschedule the technical round.",
    "They asked about my notice period and earliest start date.",
    "Walked through the compensation structure (base, bonus, equity refresh).",
    "Hiring manager wanted to know why I am leaving my current role.",
    "Explained the interview loop and who I will meet.",
)

MEETING_NOTES: tuple[str, ...] = (
    "Coffee; she described the team's move to a data mesh and offered to refer me.",
    "Lunch near their office; honest view of the culture and the reorg last spring.",
    "Met at the PyData meetup; promised to send the talk slides.",
    "Video coffee chat; advice on positioning my platform experience.",
    "Caught up after a year; he is hiring again in Q1.",
    "Walked me through their career ladder and how levelling works.",
    "Met at a conference hallway track; talked about dbt at scale.",
)

INTERVIEW_TOPICS: tuple[str, ...] = (
    "asked about migrating the billing pipeline to streaming",
    "whiteboard on rate limiting",
    "system design: a URL shortener with analytics",
    "deep-dive into my last project's data model",
    "live coding: merge overlapping intervals",
    "behavioural: a conflict with a product manager",
    "SQL exercise on window functions",
    "designing an idempotent payments webhook",
    "debugging a flaky integration test together",
    "portfolio walkthrough and critique",
    "how I would measure success in the first 90 days",
    "trade-offs between batch and streaming for late data",
    "Kubernetes incident post-mortem discussion",
    "API design review of an internal service",
    "experiment design and A/B test pitfalls",
    "capacity planning for a message queue",
    "questions about leading without authority",
    "take-home review: feedback on test coverage",
    "schema migrations without downtime",
    "caching strategy for a read-heavy catalogue",
)

# (name, kind, minutes, how many interviewers)
INTERVIEW_ROUNDS: tuple[tuple[str, str, int, int], ...] = (
    ("Hiring manager conversation", "video", 45, 1),
    ("Technical deep-dive", "video", 60, 2),
    ("System design", "video", 60, 1),
    ("Pair programming", "video", 90, 1),
    ("Phone screen with the team lead", "phone", 30, 1),
    ("Onsite loop", "onsite", 240, 3),
    ("Team match", "video", 30, 1),
)

NOTE_TEXTS: tuple[str, ...] = (
    "Tailored the résumé: moved the streaming project to the top.",
    "Read their engineering blog post on the Postgres upgrade; good talking point.",
    "Prepared STAR stories for ownership and conflict.",
    "Checked the salary survey for this level and city.",
    "Their CEO spoke at the conference last month; watch the talk.",
    "Reminder: ask about the on-call compensation.",
    "Portfolio link updated with the case study.",
    "Noted the recruiter's preferred hours: mornings, their time.",
)

LINKEDIN_IN: tuple[str, ...] = (
    "Hi! Your background in data platforms caught my eye; open to a chat?",
    "We're growing the team and I think you'd be a great fit.",
    "Thanks for connecting! Happy to answer questions about the role.",
    "Saw your talk; would love to tell you about what we're building.",
)
LINKEDIN_OUT: tuple[str, ...] = (
    "Thanks for reaching out; yes, I'd be glad to talk this week.",
    "Hi, I noticed the opening on your team and would love to learn more.",
    "Congratulations on the new role! Would be great to catch up.",
    "Thank you for the introduction; I've applied through the careers page.",
)

REJECTION_NOTES: tuple[str, ...] = (
    "Form rejection after application review.",
    "They went with a candidate with more domain experience.",
    "Position put on hold; they will not proceed this quarter.",
    "Feedback: strong technically, wanted more people-management experience.",
)
FILLED_NOTES: tuple[str, ...] = (
    "Filled internally by a transfer from another team.",
    "They hired another candidate who could start sooner.",
    "Role filled; the manager offered to keep me in mind for the next opening.",
)
WITHDRAWAL_NOTES: tuple[str, ...] = (
    "Withdrew: the role requires relocation after all.",
    "Withdrew after accepting another offer.",
    "Withdrew: compensation band well below expectations.",
    "Withdrew: on-call load too heavy for the level.",
)
OFFER_NOTES: tuple[str, ...] = (
    "Verbal offer: base within range, 0.1% equity, sign-on bonus; written offer to follow.",
    "Offer call with the recruiter; they need an answer within a week.",
    "Offer at senior level; asked for time to review the equity terms.",
)
ACCEPTANCE_NOTES: tuple[str, ...] = (
    "Accepted after a small base increase; start date agreed.",
    "Signed the offer letter; background check started.",
)
COLD_NOTES: tuple[str, ...] = (
    "No answer after two check-ins; marking cold.",
    "Silence since the application; posting has been taken down.",
)
PERSON_NOTES: tuple[str, ...] = (
    "Former colleague; we shipped the reporting revamp together.",
    "Met at a meetup; very responsive on LinkedIn.",
    "Prefers calls to email.",
    "Ex-manager; happy to be a reference.",
    "Mentor from the bootcamp; checks in every few months.",
    "Alumni network; works in a similar role elsewhere.",
    "",
    "",
)

# Email subjects by phase of an opportunity; replies prefix "Re: ".
SUBJECTS_BEFORE: tuple[str, ...] = (
    "Question about the {title} role", "Introduction: {title} at {company}", "Referral for {title}",
    "Quick question before I apply", "Your post about the {company} team",
)  # fmt: skip
SUBJECTS_ACTIVE: tuple[str, ...] = (
    "Your application to {company}", "Next steps", "Scheduling your interview", "Availability next week",
    "Checking in on my application", "Take-home exercise", "Following up on our conversation",
    "Interview confirmation: {title}", "Update on the {title} role", "Reference request",
)  # fmt: skip
SUBJECTS_AFTER: tuple[str, ...] = (
    "Thank you for the update", "Feedback on my interviews?", "Staying in touch", "Your decision on {title}",
)  # fmt: skip
SUBJECTS_NETWORK: tuple[str, ...] = (
    "Catching up", "Coffee next week?", "Article you might like", "Congrats on the launch!",
    "Happy new year", "Saw your talk", "Intro request",
)  # fmt: skip
EMAIL_SNIPPETS_IN: tuple[str, ...] = (
    "Thanks for your interest; we are reviewing applications and will be in touch.",
    "Could you share your availability for a 45-minute call?",
    "The team enjoyed talking with you; we'd like to move you to the next round.",
    "Apologies for the delay, the hiring manager was travelling.",
    "Attached is the invitation with the video link.",
    "Happy to help, let me know what you need.",
)
EMAIL_SNIPPETS_OUT: tuple[str, ...] = (
    "Thank you for your time today; I enjoyed the conversation about the platform roadmap.",
    "I'm available Tuesday or Thursday afternoon, your time.",
    "Just checking in on the status of my application; still very interested.",
    "Please find my updated résumé attached.",
    "Thanks again for the referral, I really appreciate it.",
    "Would you have 20 minutes for a call next week?",
)
