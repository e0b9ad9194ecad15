"""A deterministic synthetic corpus of canon profile pages, for tests and benchmarks.

``generate_pages(n, seed)`` builds ``n`` :class:`~rolegraph.pages.model.Page` records from one
``random.Random(seed)`` stream, so the same arguments always give the same pages (and, through
:func:`bench.render.render_page`, the same bytes). Pages are made focus by focus, each focus
contributing one page per level of its ladder, so a shorter corpus is a prefix of a longer one.

The corpus is shaped so that pages merge without conflicts, as real pages must:

* level title, experience and descriptor are fixed per level code (P7 matches the real page);
* guideline rows are fixed per function and level code (the function's rubric);
* a focus has one definition, one skill list, one set of differential flags and one set of
  responsibilities per level, repeated identically on every page of the focus;
* a skill name always denotes the same skill; its description is the focus's.

Status, pay presence, review scores, aliases and mappings vary per page.

Two size profiles (``profile=``). ``"real"`` (the default) matches the real page
(``seeds/000_cf26a15490124fcc.txt``, ~12.6 kB, ~150 lines) in size and shape: a definition of ~600
characters, 11-15 skills with two-sentence descriptions, 5-6 bullets of ~130 characters per level,
rubric rows of ~450 characters, two-sentence level summaries (``tests/test_synth_shape.py`` compares
the sections' line counts and the bytes). ``"small"`` is the corpus as first written, about 60% of
that size, for tests that only need many pages quickly. The real profile draws its additions from a
second random stream, so both profiles give the same role codes, focuses, ladders, statuses, pay,
aliases and mappings for the same seed; the real one adds skills, bullets and prose.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Final, Literal

from bench.render import render_page
from rolegraph.pages.model import (
    DESCRIPTOR_KEYS,
    Alias,
    ConfidenceBand,
    DifferentialFlag,
    Focus,
    Function,
    GuidelineRow,
    Level,
    LevelDescriptor,
    LevelResponsibilities,
    Mapping,
    Page,
    Pay,
    Provenance,
    Responsibility,
    ReviewScore,
    RoleStatus,
    SiblingFocus,
    Skill,
    Status,
    parse_level_code,
    role_title,
)

Profile = Literal["real", "small"]
PROFILES: Final[tuple[Profile, ...]] = ("real", "small")

SOC_SCHEME: Final = "O*NET / SOC"
ISCO_SCHEME: Final = "ISCO-08"
PASS_THRESHOLD: Final = Decimal(4)
REVIEW_DIMENSIONS: Final = (
    "Level differentiation",
    "Focus specificity",
    "Concreteness",
    "Factual accuracy",
    "Real-world coverage",
)


@dataclass(frozen=True, slots=True)
class _FunctionSpec:
    code: str
    name: str
    subject: str  # "knowledge of <subject>" in the function's rubric
    focuses: tuple[tuple[str, str, str], ...]  # (name, gloss, core deliverable)
    skills: tuple[str, ...]
    soc: tuple[str, ...]  # SOC 2018 detailed codes for individual contributors
    soc_manager: str
    isco: tuple[str, ...]
    base_pay: int  # median at rank 1, in thousands


# The data tables below are laid out by hand, one record per line where it fits.
# fmt: off
_FUNCTIONS: Final = (
    _FunctionSpec(
        "ENGSWE", "Software Engineering", "software design and delivery",
        (
            ("Backend Engineering", "server-side services, APIs and data stores",
             "reliable, scalable server-side services"),
            ("Frontend Engineering", "browser-based user interfaces", "accessible, performant web interfaces"),
            ("Mobile Engineering", "native iOS and Android applications", "polished mobile applications"),
            ("Site Reliability Engineering", "production availability and incident response",
             "measurable service reliability"),
            ("Developer Productivity", "build systems, tooling and CI/CD", "faster, safer engineering workflows"),
        ),
        ("Distributed systems", "API design", "Automated testing", "Code review", "System design",
         "Cloud infrastructure", "Observability", "Performance tuning", "Programming (Python, Go, Java)",
         "Web accessibility", "Incident management", "Continuous delivery"),
        ("15-1252", "15-1253", "15-1254", "15-1299"), "11-3021", ("2512", "2513", "2514"), 95,
    ),
    _FunctionSpec(
        "DATASC", "Data Science & Analytics", "statistics, data and machine learning",
        (
            ("AI / Machine Learning Engineering", "production machine learning systems", "production-grade ML systems"),
            ("Data Science", "hypothesis-driven statistical analysis and experimentation",
             "decision-ready statistical insight"),
            ("Data Engineering", "data platform/pipeline plumbing", "trustworthy data pipelines and platforms"),
            ("Business Intelligence", "dashboards and self-service reporting", "trusted reporting and metrics"),
            ("Analytics Engineering", "modelled, tested analytical datasets", "well-modelled analytical datasets"),
        ),
        ("Statistical modelling", "Experiment design", "Model training & evaluation", "Feature engineering", "SQL",
         "Data visualisation", "Data modelling", "Deep learning", "MLOps", "Data quality management",
         "Causal inference", "Stream processing"),
        ("15-2051", "15-2041", "15-1243", "15-1211"), "11-3021", ("2120", "2511", "2521"), 92,
    ),
    _FunctionSpec(
        "FINACC", "Finance & Accounting", "accounting standards and financial analysis",
        (
            ("General Accounting", "ledger, close and reconciliations", "an accurate, timely close"),
            ("Financial Planning & Analysis", "budgets, forecasts and variance analysis",
             "forward-looking financial plans"),
            ("Tax", "direct and indirect tax compliance", "compliant, efficient tax positions"),
            ("Treasury", "cash, liquidity and banking relationships", "secure, well-funded liquidity"),
            ("Internal Audit", "independent assurance over controls", "independent control assurance"),
        ),
        ("Financial reporting", "Account reconciliation", "Forecasting", "Variance analysis", "Tax compliance",
         "Cash management", "Internal controls", "ERP systems", "Financial modelling", "Audit methodology",
         "Regulatory reporting", "Budget management"),
        ("13-2011", "13-2051", "13-2031", "13-2082", "13-2061"), "11-3031", ("2411", "2413", "3313"), 70,
    ),
    _FunctionSpec(
        "HRPEOP", "Human Resources", "people practices and employment law",
        (
            ("Talent Acquisition", "sourcing, interviewing and hiring", "high-quality hires"),
            ("Compensation & Benefits", "pay structures and benefit programmes", "competitive, fair reward programmes"),
            ("HR Business Partnering", "advice to business leaders on people matters",
             "effective organisations and leaders"),
            ("Learning & Development", "training programmes and career growth", "measurable capability growth"),
        ),
        ("Candidate sourcing", "Structured interviewing", "Job evaluation", "Compensation benchmarking",
         "Employee relations", "Organisation design", "Learning design", "Workforce planning", "Employment law",
         "HR information systems"),
        ("13-1071", "13-1141", "13-1151"), "11-3121", ("2423", "2424"), 62,
    ),
    _FunctionSpec(
        "SALESB", "Sales", "customers, markets and commercial negotiation",
        (
            ("Enterprise Sales", "large, multi-stakeholder deals", "closed enterprise revenue"),
            ("Sales Engineering", "technical pre-sales and solution demos", "technically validated deals"),
            ("Sales Operations", "territories, quotas and pipeline tooling", "a predictable sales engine"),
            ("Customer Success", "adoption, renewal and expansion", "retained, growing customers"),
        ),
        ("Pipeline management", "Negotiation", "Solution selling", "Product demonstration", "Account planning",
         "Sales forecasting", "CRM administration", "Territory planning", "Customer onboarding",
         "Renewal management"),
        ("41-3091", "41-4011"), "11-2022", ("2433", "2434"), 68,
    ),
    _FunctionSpec(
        "MKTDIG", "Marketing", "markets, audiences and brand",
        (
            ("Product Marketing", "positioning, messaging and launches", "differentiated product positioning"),
            ("Growth Marketing", "acquisition funnels and lifecycle campaigns", "efficient customer acquisition"),
            ("Brand & Content", "brand voice, editorial and creative", "a consistent, recognisable brand"),
            ("Marketing Operations", "marketing technology and attribution", "measurable marketing performance"),
        ),
        ("Market research", "Messaging & positioning", "Campaign management", "Marketing analytics",
         "Content strategy", "Search engine optimisation", "Marketing automation", "Copywriting", "Brand management",
         "Attribution modelling"),
        ("13-1161", "27-1024"), "11-2021", ("2431", "2432", "2166"), 64,
    ),
    _FunctionSpec(
        "OPSSCM", "Operations & Supply Chain", "supply chains and operational processes",
        (
            ("Procurement", "sourcing strategy and supplier contracts", "cost-effective, resilient supply"),
            ("Logistics", "transport, warehousing and distribution", "on-time, low-cost delivery"),
            ("Demand Planning", "forecasts of demand and inventory", "balanced inventory"),
            ("Manufacturing Operations", "production lines and process improvement", "safe, efficient production"),
        ),
        ("Supplier management", "Strategic sourcing", "Inventory optimisation", "Demand forecasting",
         "Lean manufacturing", "Process improvement", "Transportation management", "Sales & operations planning",
         "Quality management", "Contract negotiation"),
        ("13-1023", "13-1081", "17-2112", "13-1082"), "11-3071", ("1324", "2141", "3323"), 60,
    ),
    _FunctionSpec(
        "LEGALC", "Legal & Compliance", "law, regulation and corporate governance",
        (
            ("Corporate Counsel", "commercial and corporate legal advice", "sound, enforceable legal positions"),
            ("Privacy", "personal data protection programmes", "lawful, trusted data handling"),
            ("Regulatory Compliance", "compliance programmes and monitoring", "demonstrable regulatory compliance"),
            ("Contracts", "contract drafting and lifecycle management", "clear, low-risk contracts"),
        ),
        ("Legal research", "Contract drafting", "Regulatory analysis", "Privacy impact assessment",
         "Risk assessment", "Policy writing", "Litigation management", "Corporate governance",
         "Compliance monitoring"),
        ("23-1011", "23-2011", "13-1041"), "11-9199", ("2611", "3411", "2619"), 85,
    ),
    _FunctionSpec(
        "PRODMG", "Product Management", "products, customers and delivery",
        (
            ("Core Product", "customer-facing product strategy and roadmaps", "valuable, usable product increments"),
            ("Platform Product", "internal platforms and developer-facing APIs", "adopted shared platforms"),
            ("Technical Program Management", "cross-team delivery of complex programmes",
             "on-time cross-team programmes"),
        ),
        ("Product discovery", "Roadmap planning", "Requirements writing", "Prioritisation", "Product analytics",
         "Stakeholder management", "Delivery planning", "Risk management", "Go-to-market planning"),
        ("13-1082", "15-1299", "13-1111"), "11-9199", ("2421",), 90,
    ),
    _FunctionSpec(
        "DESIGN", "Design", "user experience and visual design",
        (
            ("Product Design", "end-to-end interaction and visual design", "usable, coherent product experiences"),
            ("UX Research", "qualitative and quantitative user research", "evidence about user needs"),
            ("Content Design", "interface language and information architecture",
             "clear, consistent product language"),
        ),
        ("Interaction design", "Visual design", "Prototyping", "Usability testing", "Design systems",
         "Information architecture", "Survey design", "User interviewing", "UX writing"),
        ("15-1255", "27-1024", "19-3022"), "11-9199", ("2166", "2163"), 75,
    ),
    _FunctionSpec(
        "SECINF", "Security", "information security and risk",
        (
            ("Security Engineering", "secure design and security tooling", "systems that are secure by default"),
            ("Security Operations", "threat detection and incident response", "rapid detection and containment"),
            ("Governance, Risk & Compliance", "security policy, risk and audits", "managed, documented security risk"),
        ),
        ("Threat modelling", "Vulnerability management", "Security monitoring", "Incident response",
         "Identity & access management", "Cryptography", "Security architecture", "Penetration testing",
         "Security audits"),
        ("15-1212", "15-1299"), "11-3021", ("2529",), 88,
    ),
    _FunctionSpec(
        "ITINFR", "IT & Infrastructure", "infrastructure and enterprise IT",
        (
            ("Cloud Infrastructure", "cloud accounts, networking and compute",
             "secure, cost-efficient cloud foundations"),
            ("Network Engineering", "corporate and data-centre networks", "fast, resilient networks"),
            ("End-User Computing", "employee devices and workplace tools", "productive, supported employees"),
        ),
        ("Infrastructure as code", "Network design", "Linux administration", "Endpoint management",
         "Service desk operations", "Capacity planning", "Cloud cost management", "Virtualisation",
         "Configuration management"),
        ("15-1241", "15-1244", "15-1231", "15-1211"), "11-3021", ("2523", "3513", "3512"), 72,
    ),
)

_COMMON_SKILLS: Final = (
    "Stakeholder management", "Cross-functional collaboration", "Mentoring & coaching", "Written communication",
    "Project management", "Data analysis", "Presentation skills", "Business acumen", "Change management",
    "Problem solving",
)

# Market segments that qualify a function's base focuses once those are used up.
_DOMAINS: Final = (
    "Retail", "Payments", "Healthcare", "Insurance", "Public Sector", "Media", "Gaming", "Energy", "Automotive",
    "Telecom", "Travel", "Education", "Banking", "Biotech", "Consumer", "Marketplace", "Advertising", "Mobility",
    "Agritech", "Real Estate", "Hospitality", "Aerospace", "Semiconductor", "Pharma", "Wealth", "Climate",
)
# Focus name qualifiers: none (the base focuses), one market segment, then two.
_FOCUS_QUALIFIERS: Final = ((), *((d,) for d in _DOMAINS), *((a, b) for a in _DOMAINS for b in _DOMAINS if a != b))

# Per level code: title, experience (min, max), then the descriptor: summary and the attribute
# values for DESCRIPTOR_KEYS minus "Typical experience" (which is written from the experience).
_LEVELS: Final[dict[str, tuple[str, int, int | None, tuple[str, ...]]]] = {
    "P1": ("Entry Professional", 0, 2, (
        "Entry-level individual contributor: learns the craft on well-defined tasks with close guidance.",
        "Individual tasks within a team", "Works under close supervision", "Routine, well-defined problems",
        "Own tasks", "Follows established procedures", "None; learns from others")),
    "P2": ("Developing Professional", 2, 5, (
        "Developing individual contributor: delivers defined pieces of larger projects with growing independence.",
        "Defined segments of team projects", "Works with moderate guidance", "Problems of moderate scope",
        "Team deliverables", "Chooses methods within set guidelines", "Helps onboard new joiners")),
    "P3": ("Career Professional", 4, 8, (
        "Career-level individual contributor: owns projects end to end and works independently day to day.",
        "Projects within a team", "Plans own work independently", "Varied problems needing analysis",
        "Team outcomes", "Decides the approach for own projects", "Mentors junior colleagues informally")),
    "P4": ("Senior Professional", 7, 12, (
        "Senior individual contributor: leads complex projects and is the team's go-to expert.",
        "Complex projects across a team", "Works independently towards broad objectives",
        "Complex problems with many variables", "Team and adjacent teams", "Selects methods and tools independently",
        "Leads the project work of others")),
    "P5": ("Expert Professional", 10, 16, (
        "Expert individual contributor: sets direction for an area and resolves ambiguous problems.",
        "Multiple teams / a product area", "Sets own objectives within strategy",
        "Ambiguous problems without precedent in the team", "Product area or function", "Owns decisions for an area",
        "Mentors seniors; leads initiatives across teams")),
    "P6": ("Principal Professional", 12, 20, (
        "Principal individual contributor: shapes organisation-wide practice and partners with senior management.",
        "Organisation-wide practice", "Operates with full independence", "Field-shaping, organisation-wide problems",
        "Organisation-wide", "Sets standards for the organisation", "Influences senior leaders; develops experts")),
    "P7": ("Staff / Distinguished Professional", 15, 22, (
        "Staff-level individual contributor: owns architecture across systems, sets technical direction, and "
        "multiplies the output of multiple teams without managing people.",
        "Cross-organization / enterprise technical strategy", "Operates autonomously at the enterprise level",
        "Industry-level, highly ambiguous problems", "Enterprise-wide",
        "Final technical authority across multiple domains", "Sets technical direction org-wide; develops principals")),
    "P8": ("Distinguished Fellow", 20, None, (
        "Distinguished fellow: an industry-recognised authority who shapes company strategy and external practice.",
        "Company and industry", "Sets own agenda at company level", "Novel problems of industry significance",
        "Company-wide and external", "Final authority on company-wide technical strategy",
        "Shapes the company's technical culture")),
    "M1": ("Team Leader", 5, 10, (
        "First-line team leader: guides a small team's daily work while staying hands-on.",
        "A single team", "Plans team work within set goals", "Operational problems within the team",
        "Team delivery", "Assigns work and sets team priorities", "Leads a small team; coaches its members")),
    "M2": ("Manager", 7, 12, (
        "Manager: runs a team, hires and develops people, and delivers against team objectives.",
        "A team or small group", "Sets team objectives within function plans",
        "Problems spanning people, process and delivery", "Team and adjacent teams",
        "Hiring, performance and team budget", "Manages individual contributors")),
    "M3": ("Senior Manager", 10, 16, (
        "Senior manager: leads managers and owns the operating plan for a group.",
        "Several teams", "Sets group plans within function strategy", "Cross-team trade-offs and resourcing",
        "A group or product area", "Headcount allocation and group priorities", "Manages managers")),
    "M4": ("Director", 12, 20, (
        "Director: owns a department's strategy, budget and results.",
        "A department", "Sets departmental strategy", "Multi-year, cross-functional problems", "Function-wide",
        "Departmental budget and organisation design", "Leads senior managers and experts")),
    "M5": ("Senior Director", 15, 24, (
        "Senior director: leads several departments and aligns them with executive priorities.",
        "A business unit", "Sets strategy with executive sponsors", "Enterprise trade-offs with significant risk",
        "Business unit and company", "Major investments within the unit", "Leads directors")),
    "M6": ("Vice President", 18, None, (
        "Vice president: sets the company-wide vision for a function and answers to the executive team.",
        "Enterprise function", "Accountable to the executive team", "Company-level strategy and risk",
        "Company-wide", "Function strategy, budget and structure", "Leads the function's leadership team")),
}

# Per level code: the rubric's knowledge (with {s} for the function's subject), complexity and
# collaboration cells. Cells end with "." and never run a "." into a capital or digit.
_RUBRIC: Final[dict[str, tuple[str, str, str]]] = {
    "P1": ("Applies basic knowledge of {s} to routine, closely supervised tasks.",
           "Solves routine problems by following established procedures.",
           "Works within the immediate team and asks for help early."),
    "P2": ("Applies foundational knowledge of {s} to narrow, well-defined pieces of larger projects.",
           "Solves problems of moderate scope; exercises judgment in familiar contexts.",
           "Builds productive working relationships within the project team."),
    "P3": ("Applies working knowledge of {s} across diverse problems with moderate independence.",
           "Evaluates identifiable factors to design solutions; plans own work day to day.",
           "Networks with senior colleagues and may coordinate project activities."),
    "P4": ("Applies in-depth expertise in {s} to complex, functionally impactful work.",
           "Performs in-depth analysis of complex variables and selects methods independently.",
           "Coordinates across groups as a subject matter expert; may lead project teams."),
    "P5": ("Applies expert knowledge of {s} to strategic assignments that contribute to company objectives.",
           "Resolves intangible, high-ambiguity problems with high independence.",
           "Builds influential cross-functional networks and acts as a spokesperson."),
    "P6": ("Applies field-shaping expertise in {s} to define organisation-wide direction.",
           "Solves field-shaping problems with full independence.",
           "Influences senior management and peer experts as a recognised thought leader."),
    "P7": ("Advances the practice of {s} and influences company-wide and industry practice.",
           "Solves ambiguous, precedent-free problems with broad business consequences.",
           "Networks with executives and industry leaders; persuades senior stakeholders."),
    "P8": ("Sets the standard in {s} for the company and the wider industry.",
           "Frames problems the industry has not yet named and sets long-term direction.",
           "Advises the executive team and represents the company in external forums."),
    "M1": ("Applies solid knowledge of {s} while guiding a small team.",
           "Resolves day-to-day operational issues within the team.",
           "Coordinates with peer teams and escalates when needed."),
    "M2": ("Applies broad knowledge of {s} and of people management to run a team.",
           "Balances delivery, quality and people needs within agreed objectives.",
           "Partners with peer managers and internal customers."),
    "M3": ("Integrates knowledge of {s} across several teams and their managers.",
           "Makes cross-team trade-offs on scope, staffing and priorities.",
           "Aligns several teams and negotiates with peer groups."),
    "M4": ("Applies strategic command of {s} to lead a department.",
           "Solves multi-year, cross-functional problems with significant budget impact.",
           "Works with senior leaders across functions to set direction."),
    "M5": ("Applies business leadership in {s} across a business unit.",
           "Resolves enterprise trade-offs that carry significant risk.",
           "Aligns executive stakeholders and external partners."),
    "M6": ("Sets company-wide direction for {s}.",
           "Owns company-level strategy and risk for the function.",
           "Leads the function's leadership team and advises the executive team."),
}

# Responsibility bullets: "<verb> <topic> <qualifier>." with verbs and qualifiers by level code.
_VERBS: Final[dict[str, tuple[str, ...]]] = {
    "P1": ("Assists with", "Learns the basics of", "Supports colleagues on", "Completes defined tasks in"),
    "P2": ("Contributes to", "Delivers well-scoped work in", "Applies established methods to"),
    "P3": ("Owns", "Independently delivers work in", "Plans and executes work in"),
    "P4": ("Leads", "Designs and improves", "Acts as the go-to expert for"),
    "P5": ("Sets direction for", "Drives strategy for", "Resolves ambiguous problems in"),
    "P6": ("Shapes organisation-wide practice in", "Defines architecture and standards for",
           "Partners with senior leaders on"),
    "P7": ("Sets long-term roadmaps for", "Advances company-wide practice in", "Represents the company externally on"),
    "P8": ("Defines industry-leading approaches to", "Sets enterprise direction for", "Shapes external standards in"),
    "M1": ("Coordinates a small team's work on", "Coaches team members on", "Plans day-to-day delivery of"),
    "M2": ("Manages a team responsible for", "Hires and develops people working on", "Sets quarterly goals for"),
    "M3": ("Manages managers responsible for", "Owns the operating plan for", "Builds the team structure for"),
    "M4": ("Directs the department's work on", "Sets multi-year strategy for", "Owns budget and headcount for"),
    "M5": ("Leads several departments working on", "Aligns executive priorities with",
           "Sponsors major investments in"),
    "M6": ("Sets company-wide vision for", "Represents the function to the executive team on",
           "Owns enterprise outcomes for"),
}
_QUALIFIERS: Final[dict[str, tuple[str, ...]]] = {
    "P1": ("under close guidance", "with detailed instructions from senior colleagues"),
    "P2": ("with moderate supervision", "on defined segments of larger projects"),
    "P3": ("with day-to-day independence", "across the team's projects"),
    "P4": ("across complex, functionally impactful projects", "while mentoring less experienced colleagues"),
    "P5": ("across multiple teams", "with high independence and broad scope"),
    "P6": ("across the organisation", "with full independence"),
    "P7": ("across the enterprise", "with consequences for company-wide strategy"),
    "P8": ("across the company and the industry", "with precedent-setting impact"),
    "M1": ("within a single team", "while remaining hands-on"),
    "M2": ("within an established function", "against agreed team objectives"),
    "M3": ("across several teams", "through first-line managers"),
    "M4": ("across a department", "balancing cost, risk and growth"),
    "M5": ("across a business unit", "with board-level visibility"),
    "M6": ("across the enterprise", "with accountability to the executive team"),
}
_PEOPLE_LEADERSHIP_YEARS: Final = {"M1": 1, "M2": 2, "M3": 4, "M4": 6, "M5": 8, "M6": 10}

_DEFINITION_VERBS: Final = ("designs, builds, and operates", "plans, delivers, and improves", "owns and advances")
_SKILL_USES: Final = (
    "Applies {topic} to {gloss}.",
    "Uses {topic} to deliver {deliverable}.",
    "Brings {topic} to day-to-day work on {gloss}.",
)
_LEVEL_ADJECTIVES: Final = {
    "P1": ("Junior", "Graduate"), "P2": ("Associate",), "P3": ("Intermediate",), "P4": ("Senior",),
    "P5": ("Lead",), "P6": ("Principal",), "P7": ("Staff", "Distinguished"), "P8": ("Fellow",),
}
_MANAGER_PATTERNS: Final = {
    "M1": ("{f} Team Lead",), "M2": ("{f} Manager",), "M3": ("Senior {f} Manager",),
    "M4": ("Director of {f}", "Head of {f}"), "M5": ("Senior Director of {f}",), "M6": ("VP of {f}", "VP, {f}"),
}
_DIFFERENTIAL_CHOICES: Final[tuple[tuple[DifferentialFlag, ...], ...]] = (
    (), (), ("PAY",), ("SKILL",), ("PAY", "SKILL"),
)
_REGIONS: Final = (("global", "USD", 50), ("us", "USD", 20), ("emea", "EUR", 15), ("uk", "GBP", 10), ("apac", "USD", 5))

# The real profile's additions. A second sentence for each level summary but P7's (the real page's):
_SUMMARY_MORE: Final = {
    "P1": "Builds working knowledge of the team's tools and methods, and asks for help early when stuck.",
    "P2": "Handles routine work alone, escalates the unusual, and documents what was done for others to reuse.",
    "P3": "Chooses methods for own projects, reviews the work of peers, and explains results to stakeholders.",
    "P4": "Breaks ambiguous goals into plans for others, and is consulted on the team's hardest technical questions.",
    "P5": "Owns the technical roadmap of an area and represents it in planning with other teams and leaders.",
    "P6": "Sets standards other teams adopt, and is accountable for the long-term health of a whole practice.",
    "P8": "Publishes, speaks and sets external standards; advises the executive team on long-range bets.",
    "M1": "Plans the team's sprint-level work, removes blockers, and still contributes hands-on where it helps.",
    "M2": "Runs hiring, performance reviews and one-to-ones, and negotiates scope and dates with stakeholders.",
    "M3": "Coaches first-line managers, balances headcount across teams, and owns a group-level operating plan.",
    "M4": "Sets the department's multi-year direction, owns its budget, and designs its organisation.",
    "M5": "Aligns several departments with executive priorities and sponsors the unit's largest investments.",
    "M6": "Represents the function on the executive team and is accountable for its results company-wide.",
}
# Per level code: a second clause for each responsibility bullet.
_BULLET_MORE: Final[dict[str, tuple[str, ...]]] = {
    "P1": ("and writes up what was learned for the team", "checking results with a senior colleague before sharing"),
    "P2": ("and documents results so that others can reuse them", "escalating issues that fall outside the brief"),
    "P3": ("planning own work against the project's milestones", "and reviews the work of peers on the same project"),
    "P4": ("selecting methods and tools independently", "and coordinates the work of other contributors on it"),
    "P5": ("aligning the work with broad business objectives", "and acts as the area's spokesperson with leaders"),
    "P6": ("setting standards that other teams adopt", "and advises senior management on where to invest"),
    "P7": ("anticipating challenges before they reach the roadmap", "and persuades senior decision-makers"),
    "P8": ("shaping how the industry approaches the problem", "and advises the executive team on long-range bets"),
    "M1": ("keeping the team's priorities clear week to week", "and removes blockers for the people doing the work"),
    "M2": ("hiring, coaching and reviewing the people involved", "and negotiates scope and dates with stakeholders"),
    "M3": ("balancing headcount and priorities across teams", "and develops the managers who lead the work"),
    "M4": ("owning the budget and the organisation design for it", "and reports results to senior leadership"),
    "M5": ("aligning several departments with executive priorities", "and sponsors the largest investments in it"),
    "M6": ("answering for results to the executive team", "and sets the vision the whole function works towards"),
}
_SKILL_MORE: Final = (
    "Assessed in the hiring loop.",
    "Expected at every level of the ladder.",
    "Reviewed in each performance cycle.",
    "Grows in depth with the level.",
)
_DEFINITION_MORE: Final = (
    " Spans {first} and {second} through {third}, {fourth}, and the leadership that aligns {gloss} with business"
    " objectives across the organisation."
)
# fmt: on


@dataclass(frozen=True, slots=True)
class _FocusPlan:
    """Everything fixed for one focus; pages add their own status, scores, aliases and mappings."""

    spec: _FunctionSpec
    focus: Focus
    ladder: tuple[str, ...]
    responsibilities: dict[str, tuple[Responsibility, ...]]
    skills: tuple[Skill, ...]
    differentials: tuple[DifferentialFlag, ...]
    pay: dict[str, Pay]
    region: str
    soc: str


def generate_pages(n_roles: int, seed: int = 0, profile: Profile = "real") -> list[Page]:
    """``n_roles`` pages, one role each, deterministic in ``seed``, sized by ``profile``."""
    if n_roles < 0:
        raise ValueError(f"n_roles must be >= 0, not {n_roles}")
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, not {profile!r}")
    rng = random.Random(seed)
    # The real profile's additions come from a stream of their own, so the small profile's draws
    # (role codes, ladders, statuses, pay, ...) are the same in both.
    extra = random.Random(f"{seed}:real") if profile == "real" else None
    real = extra is not None
    rubrics = {spec.code: _rubric(spec, real=real) for spec in _FUNCTIONS}
    used_parts: dict[str, set[str]] = {spec.code: set() for spec in _FUNCTIONS}
    pages: list[Page] = []
    index = 0
    while len(pages) < n_roles:
        spec = _FUNCTIONS[index % len(_FUNCTIONS)]
        plan = _plan_focus(rng, spec, index // len(_FUNCTIONS), used_parts[spec.code], extra)
        for level_code in plan.ladder:
            if len(pages) == n_roles:
                break
            pages.append(_page(rng, plan, level_code, rubrics[spec.code], real=real))
        index += 1
    return pages


def write_corpus(directory: Path, n_roles: int, seed: int = 0, profile: Profile = "real") -> list[Path]:
    """Write ``generate_pages(n_roles, seed, profile)`` as ``<role code>.txt`` files; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for page in generate_pages(n_roles, seed, profile):
        path = directory / page.path
        path.write_bytes(render_page(page).encode("utf-8"))
        paths.append(path)
    return paths


# ---------------------------------------------------------------------------------------------
# fixed per level code / per function


def _level(code: str) -> Level:
    title, low, high, _ = _LEVELS[code]
    return Level(code, title, low, high)


def _experience(code: str) -> str:
    _, low, high, _ = _LEVELS[code]
    return f"{low}+ yrs" if high is None else f"{low}–{high} yrs"


def _descriptor(code: str, *, real: bool) -> LevelDescriptor:
    title, _, _, (summary, *values) = _LEVELS[code]
    if real and code in _SUMMARY_MORE:
        summary = f"{summary} {_SUMMARY_MORE[code]}"
    attributes = (*zip(DESCRIPTOR_KEYS, values, strict=False), ("Typical experience", _experience(code)))
    return LevelDescriptor(code, title, summary, tuple(attributes))


def _rubric(spec: _FunctionSpec, *, real: bool) -> dict[str, GuidelineRow]:
    rows: dict[str, GuidelineRow] = {}
    for rank, (code, cells) in enumerate(_RUBRIC.items()):
        knowledge, complexity, collaboration = cells
        low = _LEVELS[code][1]
        if code.startswith("P"):
            degree = f"{low}+ years with a BA/BS, or equivalent practical experience."
        else:
            degree = f"{low}+ years, including {_PEOPLE_LEADERSHIP_YEARS[code]}+ years leading people."
        knowledge = knowledge.format(s=spec.subject)
        if real:  # the real page's cells run to two sentences; these reuse the level's descriptor values
            scope, autonomy, _, impact, _, leadership = _LEVELS[code][3][1:]
            topics = [_topic(spec.skills[(rank + i) % len(spec.skills)]) for i in range(3)]
            knowledge += f" Draws on {topics[0]}, {topics[1]} and {topics[2]} where the work needs them."
            complexity += f" Typical scope: {_lower(scope)}; {_lower(autonomy)}."
            collaboration += f" Impact reaches {_lower(impact)}; {_lower(leadership)}."
        rows[code] = GuidelineRow(code, knowledge, complexity, collaboration, degree)
    return rows


def _lower(text: str) -> str:
    """A table value mid-sentence: first letter lowered unless the first word is an acronym (``CI/CD``)."""
    first = text.split(" ", 1)[0]
    return text if len(first) > 1 and first[1].isupper() else text[0].lower() + text[1:]


# ---------------------------------------------------------------------------------------------
# per focus


def _focus_names(spec: _FunctionSpec, k: int) -> tuple[tuple[str, str, str], tuple[tuple[str, str], ...]]:
    """The k-th focus of a function, ``(name, gloss, deliverable)``, and its group's other (name, gloss).

    Base focuses come first, then each base qualified by one market segment, then by two.
    """
    bases = spec.focuses
    group = k // len(bases)
    if group >= len(_FOCUS_QUALIFIERS):
        raise ValueError(f"too many focuses for function {spec.code}")
    words: tuple[str, ...] = _FOCUS_QUALIFIERS[group]
    prefix = "".join(f"{w} " for w in words)
    suffix = f" in {' and '.join(w.lower() for w in words)}" if words else ""

    def make(base: tuple[str, str, str]) -> tuple[str, str, str]:
        return f"{prefix}{base[0]}", f"{base[1]}{suffix}", f"{base[2]}{suffix}"

    own = make(bases[k % len(bases)])
    others = tuple((name, gloss) for name, gloss, _ in map(make, bases) if name != own[0])
    return own, others


def _focus_part(rng: random.Random, name: str, used: set[str]) -> str:
    letters = "".join(c for c in name.upper() if c.isascii() and c.isalnum())[:8]
    while True:
        part = f"{letters}{rng.randrange(16**4):04X}"
        if part not in used:
            used.add(part)
            return part


def _topic(skill: str) -> str:
    """A skill name as it reads mid-sentence: ``Deep learning`` -> ``deep learning``, ``SQL`` stays."""
    first = skill.split(" ", 1)[0]
    return skill if first[1:] != first[1:].lower() or len(first) == 1 else skill[0].lower() + skill[1:]


def _plan_focus(
    rng: random.Random, spec: _FunctionSpec, k: int, used: set[str], extra: random.Random | None = None
) -> _FocusPlan:
    (name, gloss, deliverable), others = _focus_names(spec, k)
    part = _focus_part(rng, name, used)
    if rng.random() < 0.75:
        start = rng.randint(1, 4)
        ladder = tuple(f"P{r}" for r in range(start, rng.randint(start + 2, 8) + 1))
    else:
        start = rng.randint(1, 3)
        ladder = tuple(f"M{r}" for r in range(start, rng.randint(start + 2, 6) + 1))
    pool = list(dict.fromkeys((*spec.skills, *_COMMON_SKILLS)))
    names = rng.sample(pool, rng.randint(5, min(15, len(pool))))
    drawn = len(names)
    uses = [rng.choice(_SKILL_USES).format(topic=_topic(s), gloss=gloss, deliverable=deliverable) for s in names]
    if extra is not None:  # the real page lists 13 skills with two-sentence descriptions
        rest = [s for s in pool if s not in names]
        added = extra.sample(rest, max(0, min(extra.randint(11, 15) - len(names), len(rest))))
        uses += [extra.choice(_SKILL_USES).format(topic=_topic(s), gloss=gloss, deliverable=deliverable) for s in added]
        names += added
        uses = [f"{use} {extra.choice(_SKILL_MORE)}" for use in uses]
    skills = tuple(Skill(s, use) for s, use in zip(names, uses, strict=True))
    siblings = tuple(SiblingFocus(n, g) for n, g in rng.sample(others, min(2, len(others))))
    definition = f"{name} — {rng.choice(_DEFINITION_VERBS)} {gloss}."
    if siblings:
        listed = " and ".join(f"{s.name} ({s.gloss})" for s in siblings)
        definition += f" Distinct from {listed} in that the core deliverable is {deliverable}"
        if extra is not None:  # the real definition then lists what the deliverable takes
            definition += (
                ": " + ", ".join(_topic(s.name) for s in skills[2:6]) + f" and the day-to-day practice of {gloss}"
            )
        definition += "."
    if extra is None:
        definition += f" Spans {_topic(skills[0].name)} through {_topic(skills[-1].name)}."
    else:
        topics = [_topic(s.name) for s in skills]
        definition += _DEFINITION_MORE.format(
            first=topics[0], second=topics[1], third=topics[-2], fourth=topics[-1], gloss=gloss
        )
    focus = Focus(f"{spec.code}.{part}", spec.code, name, definition, siblings)
    base, more = skills[:drawn], skills[drawn:]  # the small profile's skills, then the real one's
    responsibilities = {code: _bullets(rng, code, base, gloss, extra, more) for code in ladder}
    differentials = rng.choice(_DIFFERENTIAL_CHOICES)
    region, currency, _ = rng.choices(_REGIONS, weights=[w for *_, w in _REGIONS])[0]
    return _FocusPlan(
        spec,
        focus,
        ladder,
        responsibilities,
        skills,
        differentials,
        _pay_ladder(rng, spec, ladder, currency),
        region,
        rng.choice(spec.soc),
    )


def _bullets(
    rng: random.Random,
    code: str,
    skills: Sequence[Skill],
    gloss: str,
    extra: random.Random | None = None,
    more_skills: Sequence[Skill] = (),
) -> tuple[Responsibility, ...]:
    topics = [_topic(s.name) for s in skills] + [gloss]
    count = rng.randint(3, 5)
    chosen = rng.sample(topics, min(count, len(topics)))
    texts = [f"{rng.choice(_VERBS[code])} {topic} {rng.choice(_QUALIFIERS[code])}" for topic in chosen]
    if extra is not None:  # the real page has five bullets of ~130 characters per level
        rest = [t for t in [*topics, *(_topic(s.name) for s in more_skills)] if t not in chosen]
        more = extra.sample(rest, max(0, min(extra.randint(5, 6) - len(chosen), len(rest))))
        texts += [f"{extra.choice(_VERBS[code])} {topic} {extra.choice(_QUALIFIERS[code])}" for topic in more]
        texts = [f"{text}, {extra.choice(_BULLET_MORE[code])}" for text in texts]
    return tuple(Responsibility(f"{text}.") for text in texts)


def _pay_ladder(rng: random.Random, spec: _FunctionSpec, ladder: Sequence[str], currency: str) -> dict[str, Pay]:
    base = spec.base_pay * rng.uniform(0.9, 1.15)
    low_f, high_f = rng.uniform(0.74, 0.84), rng.uniform(1.18, 1.32)
    pays: dict[str, Pay] = {}
    previous = 0
    for code in ladder:
        track, rank = parse_level_code(code)
        median = max(previous + 1, round(base * (1.3 if track == "M" else 1.0) * 1.17 ** (rank - 1)))
        previous = median
        pays[code] = Pay(median * 1000, round(median * low_f) * 1000, round(median * high_f) * 1000, currency)
    return pays


# ---------------------------------------------------------------------------------------------
# per page


def _page(
    rng: random.Random, plan: _FocusPlan, level_code: str, rubric: dict[str, GuidelineRow], *, real: bool
) -> Page:
    focus = plan.focus
    role_code = f"{focus.code}.{level_code}"
    return Page(
        path=f"{role_code}.txt",
        role_code=role_code,
        title=role_title(focus.name, level_code),
        function=Function(plan.spec.code, plan.spec.name),
        focus=focus,
        level=_level(level_code),
        status=_status(rng, plan.region),
        pay=None if rng.random() < 0.05 else plan.pay[level_code],
        differentials=plan.differentials,
        responsibilities=tuple(
            LevelResponsibilities(code, plan.responsibilities[code], code == level_code) for code in plan.ladder
        ),
        guidelines=tuple(rubric[code] for code in plan.ladder),
        skills=plan.skills,
        provenance=_provenance(rng),
        descriptor=_descriptor(level_code, real=real),
        aliases=_aliases(rng, focus.name, level_code),
        mappings=_mappings(rng, plan, level_code),
    )


def _status(rng: random.Random, region: str) -> RoleStatus:
    bands: tuple[tuple[ConfidenceBand, int, int], ...] = (("high", 75, 99), ("medium", 50, 74), ("low", 20, 49))
    band, low, high = rng.choices(bands, weights=[50, 35, 15])[0]
    statuses: tuple[Status, ...] = ("approved", "review", "draft", "deprecated")
    status = rng.choices(statuses, weights=[60, 20, 15, 5])[0]
    version = rng.choices(("v1", "v2", "v3"), weights=[70, 25, 5])[0]
    return RoleStatus(band, Decimal(f"0.{rng.randint(low, high):02d}"), status, region, version)


def _provenance(rng: random.Random) -> Provenance:
    def score() -> Decimal:
        tenths = rng.randint(30, 50) if rng.random() < 0.85 else rng.randint(10, 50)
        return Decimal(f"{tenths // 10}.{tenths % 10}")

    scores = tuple(ReviewScore(d, score()) for d in REVIEW_DIMENSIONS)
    return Provenance(scores, rng.randint(1, 20), PASS_THRESHOLD)


def _role_noun(focus_name: str) -> str:
    for ending, noun in (
        ("Engineering", "Engineer"),
        ("Science", "Scientist"),
        ("Design", "Designer"),
        ("Management", "Manager"),
        ("Research", "Researcher"),
        ("Marketing", "Marketer"),
    ):
        if focus_name.endswith(ending):
            return focus_name.removesuffix(ending) + noun
    return f"{focus_name} Specialist"


def _aliases(rng: random.Random, focus_name: str, level_code: str) -> tuple[Alias, ...]:
    if rng.random() >= 0.35:
        return ()
    if level_code.startswith("M"):
        candidates = [p.format(f=focus_name) for p in _MANAGER_PATTERNS[level_code]]
    else:
        noun = _role_noun(focus_name)
        candidates = [f"{adjective} {noun}" for adjective in _LEVEL_ADJECTIVES[level_code]]
        candidates.append(f"{noun} {'I' * min(parse_level_code(level_code)[1], 3)}")
    return tuple(Alias(t) for t in rng.sample(candidates, rng.randint(1, len(candidates))))


def _mappings(rng: random.Random, plan: _FocusPlan, level_code: str) -> tuple[Mapping, ...]:
    spec = plan.spec
    codes = [spec.soc_manager if level_code.startswith("M") else plan.soc]
    if rng.random() < 0.25:
        extra = rng.choice(spec.soc)
        if extra not in codes:
            codes.append(extra)
    tool = "jfm-factory.resolve" if rng.random() < 0.85 else "jfm-factory.crosswalk"
    mappings = [Mapping(SOC_SCHEME, code, tool) for code in codes]
    if rng.random() < 0.3:
        mappings.append(Mapping(ISCO_SCHEME, rng.choice(spec.isco), tool))
    return tuple(mappings)
