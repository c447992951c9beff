"""Mandate facts read from an operative paragraph's words: what the body asks (the lead verb's class),
of whom (the addressees), any report it asks for (at which session, by which date) and whether the
mandate recurs.

Pure text work, no database: the verb classes and addressee patterns below are data, so that a new
phrase is a new row, not new code. The loader stores the result on each operative paragraph as a
``Mandate`` (resolutions.models); staff may correct it, and an edited mandate is never overwritten
by a re-import.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from resolutions.importer.text import MONTHS, ordinal_to_number


class RequestClass(models.TextChoices):
    DECIDES = "decides", _("Decides")
    REQUESTS = "requests", _("Requests")
    CALLS_UPON = "calls_upon", _("Calls upon")
    URGES = "urges", _("Urges")
    ENCOURAGES = "encourages", _("Encourages")
    INVITES = "invites", _("Invites")
    AUTHORIZES = "authorizes", _("Authorizes")
    DEMANDS = "demands", _("Demands")
    RECOMMENDS = "recommends", _("Recommends")
    WELCOMES = "welcomes", _("Welcomes")
    COMMENDS = "commends", _("Commends")
    RECOGNIZES = "recognizes", _("Recognizes")
    NOTES = "notes", _("Takes note")
    REAFFIRMS = "reaffirms", _("Reaffirms or recalls")
    EMPHASIZES = "emphasizes", _("Emphasizes")
    EXPRESSES = "expresses", _("Expresses")
    CONDEMNS = "condemns", _("Condemns")
    ENDORSES = "endorses", _("Endorses or approves")
    SUPPORTS = "supports", _("Supports")
    OTHER = "other", _("Other")


# The lead verb (first words of the lead phrase, after "Also", "Further", "Strongly"...) and its
# class. Longest phrase first wins, so "calls for" and "calls upon" can differ from "calls".
VERB_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        [
            "decides",
            "resolves",
            "determines",
            "establishes",
            "declares",
            "proclaims",
            "agrees",
            "elects",
            "appoints",
            "extends",
            "designates",
            "renews",
            "affirms its decision",
        ],  # fmt: skip
        RequestClass.DECIDES,
    ),
    **dict.fromkeys(
        ["requests", "reiterates its request", "reiterates the request", "renews its request", "asks"],
        RequestClass.REQUESTS,
    ),
    **dict.fromkeys(
        ["calls upon", "calls on", "calls for", "appeals", "reiterates its call", "renews its call"],
        RequestClass.CALLS_UPON,
    ),
    **dict.fromkeys(["urges", "exhorts", "strongly urges"], RequestClass.URGES),
    **dict.fromkeys(["encourages"], RequestClass.ENCOURAGES),
    **dict.fromkeys(["invites"], RequestClass.INVITES),
    **dict.fromkeys(["authorizes"], RequestClass.AUTHORIZES),
    **dict.fromkeys(["demands", "insists"], RequestClass.DEMANDS),
    **dict.fromkeys(["recommends"], RequestClass.RECOMMENDS),
    **dict.fromkeys(["welcomes", "looks forward", "appreciates"], RequestClass.WELCOMES),
    **dict.fromkeys(
        ["commends", "congratulates", "pays tribute", "expresses special commendation", "praises"],
        RequestClass.COMMENDS,
    ),
    **dict.fromkeys(
        ["recognizes", "acknowledges", "considers", "believes", "is convinced"], RequestClass.RECOGNIZES
    ),
    **dict.fromkeys(["takes note", "notes", "observes"], RequestClass.NOTES),
    **dict.fromkeys(["reaffirms", "reiterates", "recalls", "affirms", "confirms"], RequestClass.REAFFIRMS),
    **dict.fromkeys(
        [
            "emphasizes",
            "stresses",
            "underlines",
            "underscores",
            "highlights",
            "reminds",
            "notes with concern",
        ],
        RequestClass.EMPHASIZES,
    ),
    **dict.fromkeys(["expresses", "regrets", "deeply regrets"], RequestClass.EXPRESSES),
    **dict.fromkeys(["condemns", "deplores", "strongly condemns", "rejects"], RequestClass.CONDEMNS),
    **dict.fromkeys(["endorses", "approves", "adopts"], RequestClass.ENDORSES),
    **dict.fromkeys(["supports"], RequestClass.SUPPORTS),
}

# Words before the verb that do not change its class: "Also requests", "Once again urges".
ADVERBS = {"also", "further", "furthermore", "again", "once", "strongly", "urgently", "firmly", "finally",
           "moreover", "in", "addition", "accordingly", "therefore", "hence", "thus", "repeats", "similarly",
           "consequently", "likewise", "emphatically", "respectfully", "earnestly"}  # fmt: skip

# Classes that ask someone to act: only these have addressees.
ASKING = {
    RequestClass.REQUESTS,
    RequestClass.CALLS_UPON,
    RequestClass.URGES,
    RequestClass.ENCOURAGES,
    RequestClass.INVITES,
    RequestClass.AUTHORIZES,
    RequestClass.DEMANDS,
    RequestClass.RECOMMENDS,
}


@dataclass(frozen=True)
class Addressee:
    key: str
    name: str  # lazy: its label in the language active when read
    pattern: str  # a regular expression, matched (case matters) against the words naming who is asked
    entity: str = ""  # the short name of the Entity it is, where the tracker holds one (UNRCCA)

    @property
    def label(self) -> str:
        """Its name in the active language, as a plain string (joined, compared, serialized)."""
        return str(self.name)


# Who may be asked to act. Order matters only for display; a phrase may name several.
ADDRESSEES = [
    Addressee("secretary-general", _("The Secretary-General"), r"\bSecretary-General\b|\bSecretariats?\b"),
    Addressee(
        "regional-centre",
        _("The Regional Centre (UNRCCA)"),
        r"\bRegional Centre for Preventive Diplomacy\b|\bUNRCCA\b|(?<!United Nations )\bRegional Centre\b",
        "UNRCCA",
    ),
    Addressee("member-states", _("Member States"), r"\bMember States\b|\bStates Members\b"),
    Addressee(
        "countries-of-region",
        _("The countries of the region"),
        r"\b(?:countries|States|Governments|nations) of (?:the|that) (?:region|subregion)\b"
        r"|\bCentral Asian (?:States|countries|Governments)\b|\bregional States\b",
    ),
    Addressee(
        "states",
        _("States"),
        r"(?<!Member )(?<!African )(?<!Arab )\bStates\b(?! parties| Members| of the region)",
    ),
    Addressee(
        "states-parties",
        _("States parties"),
        r"\bStates parties\b|\bparties to the (?:Convention|Treaty|Protocol)",
    ),
    Addressee("governments", _("Governments"), r"\bGovernments\b(?! of the region)|\bGovernment of\b"),
    Addressee("international-community", _("The international community"), r"\binternational community\b"),
    Addressee(
        "un-system",
        _("United Nations system entities"),
        r"\bUnited Nations system\b|\bUnited Nations (?:entities|agencies|funds|bodies|organizations)\b"
        r"|\bspecialized agencies\b|\bagencies,? funds and programmes\b|\bentities of the United Nations\b"
        r"|\bUnited Nations (?:Office on Drugs and Crime|Development Programme|Children's Fund|Environment Programme"
        r"|Educational, Scientific and Cultural Organization|Entity for Gender Equality|Population Fund"
        r"|Conference on Trade and Development|High Commissioner for Refugees)\b"
        r"|\bFood and Agriculture Organization\b|\bWorld Health Organization\b|\bInternational Labour Organization\b"
        r"|\bUN-Women\b|\bUNODC\b|\bUNDP\b|\bUNICEF\b|\bUNESCO\b",
    ),
    Addressee(
        "high-commissioner",
        _("The High Commissioner for Human Rights (OHCHR)"),
        r"\bHigh Commissioner for Human Rights\b|\bOHCHR\b",
        "OHCHR",
    ),
    Addressee(
        "special-procedures",
        _("Special rapporteurs and experts"),
        r"\bSpecial Rapporteurs?\b|\bIndependent Expert\b|\bWorking Group on\b",
    ),
    Addressee(
        "president-ga", _("The President of the General Assembly"), r"\bPresident of the General Assembly\b"
    ),
    Addressee(
        "parties",
        _("The parties"),
        r"(?<!States )(?<!State )\bparties\b(?! to the (?:Convention|Treaty|Protocol))",
    ),
    Addressee("administering-powers", _("The administering Powers"), r"\badministering Powers?\b"),
    Addressee(
        "organizations",
        _("International and regional organizations"),
        r"\b(?:international|regional|subregional|intergovernmental|relevant) (?:and \w+ )?organizations\b"
        r"(?! (?:and bodies )?of the United Nations)",
    ),
    Addressee("civil-society", _("Civil society"), r"\bcivil society\b|\bnon-governmental organizations\b"),
    Addressee("private-sector", _("The private sector"), r"\bprivate sector\b"),
    Addressee(
        "donors",
        _("Donors and development partners"),
        r"\b[Dd]onors?\b|\bdonor (?:countries|community)\b|\b(?:development|bilateral|multilateral) partners\b",
    ),
    Addressee("stakeholders", _("Other stakeholders"), r"\bstakeholders\b"),
    Addressee(
        "financial-institutions",
        _("International financial institutions"),
        r"\b(?:international )?financial institutions\b",
    ),
    Addressee("other", _("Others named in the text"), r"(?!)"),  # never matched: given when no other is found
]
ADDRESSEES_BY_KEY = {addressee.key: addressee for addressee in ADDRESSEES}
ADDRESSEE_CHOICES = [(addressee.key, addressee.name) for addressee in ADDRESSEES]

ENTITY_SHORT_NAMES = {a.entity.casefold(): a.key for a in ADDRESSEES if a.entity}


def addressee_entities(entities) -> dict[str, int]:
    """Which of ``entities`` (rows with pk, slug and short_name) each addressee is: the Entity whose
    short name is the addressee's (the Regional Centre is UNRCCA), or whose slug is its key (the
    Secretary-General's). Addressee key -> the Entity's pk; the first (lowest pk) wins."""
    found = {}
    for entity in sorted(entities, key=lambda entity: entity.pk):
        key = ENTITY_SHORT_NAMES.get(entity.short_name.casefold()) or entity.slug
        if key in ADDRESSEES_BY_KEY:
            found.setdefault(key, entity.pk)
    return found


def entity_candidates():
    """A condition on Entity rows that keeps those addressee_entities may choose."""
    return models.Q(slug__in=list(ADDRESSEES_BY_KEY)) | models.Q(short_name__in=_short_name_spellings())


def _short_name_spellings():
    return [spelling for a in ADDRESSEES if a.entity for spelling in {a.entity, a.entity.lower()}]


# The importer reads session numbers up to the ninety-ninth; a mandate may look further ahead.
_HUNDREDTH = {"hundredth": 100}
SESSION = re.compile(
    r"\b(?:at|to|during|before) (?:its|the) ([a-z]+(?:-[a-z]+)?) (?:regular )?session\b", re.I
)
REPORTING = re.compile(r"\breport|\bsubmit\b|\binform\b|\bbriefing\b|\bupdate\b", re.I)
DUE_DATE = re.compile(
    r"\b(?:by|before|no later than|not later than)\s+(?:(\d{1,2}) )?("
    + "|".join(MONTHS)
    + r")(?: (\d{4}))?\b",
    re.I,
)
RECURRING = re.compile(
    r"\b(?:annually|biennially|triennially|every (?:\w+ )?(?:years?|months|days)|each year|on an annual basis"
    r"|on a (?:regular|biennial|periodic|yearly|quarterly) basis|annual reports?|biennial reports?"
    r"|regularly informed|periodic(?:ally)? report|at each (?:of its )?(?:regular )?sessions?|every \d+ days)\b",
    re.I,
)
FOOTNOTE = re.compile(r"\[\^[^\]]+\]")


@dataclass
class MandateFacts:
    request: str = RequestClass.OTHER
    addressees: list[str] = field(default_factory=list)  # keys of ADDRESSEES
    addressee_text: str = ""  # the words naming who is asked, as printed
    report_session: int | None = None
    report_due: datetime.date | None = None
    recurring: bool = False


def request_class(lead_phrase: str, text: str = "") -> str:
    """The class of the paragraph's lead verb: "Also strongly encourages" → encourages."""
    words = re.findall(r"[\w'-]+", f"{lead_phrase} {text}".casefold())
    while words and words[0] in ADVERBS and len(words) > 1 and words[1] not in ("its", "call", "request"):
        words = words[1:]
    for length in (4, 3, 2, 1):
        phrase = " ".join(words[:length])
        if phrase in VERB_CLASSES:
            return VERB_CLASSES[phrase]
    # A provision without a lead verb ("Appropriations ... are hereby approved", "The income ... shall
    # be credited"): the body decides it, or authorizes it.
    body = f"{lead_phrase} {text}"
    if re.search(r"\bshall be authorized\b|\bis authorized\b", body):
        return RequestClass.AUTHORIZES
    if re.search(r"\bshall\b|\bhereby\b|\b(?:are|is) (?:approved|appropriated)\b", body):
        return RequestClass.DECIDES
    return RequestClass.OTHER


def _after_verb(lead_phrase: str, text: str) -> str:
    """The words after the lead verb: "Requests [the Secretary-General to report ...]"."""
    words = lead_phrase.split()
    verb_at = next((i for i, word in enumerate(words) if word.casefold() not in ADVERBS), len(words))
    # A lead phrase that goes on past its verb ("Calls upon all States") keeps those words.
    rest = " ".join(words[verb_at + 1 :])
    if rest.casefold() in ("upon", "on", "for", "note", "forward"):
        rest = ""
    return f"{rest} {text}".strip()


def addressee_words(lead_phrase: str, text: str) -> tuple[str, bool]:
    """The words naming who is asked to act: up to the infinitive ("to report"), or, in a "that"
    clause, up to its verb ("that all parties should", "that Member States consider"); and whether
    such a verb was found (without one, the words are what is asked for, not who: "Calls for the
    achievement of peace", "encourages the continuation of such endeavours")."""
    words = _after_verb(lead_phrase, text)
    words = re.sub(r"^(?:upon|on|also|further|again|once again|in this regard|in particular),?\s+", "", words)
    that = re.match(r"(?:also )?that\s+", words)
    if that:
        words = words[that.end() :]
        end = re.search(
            r"\s(?:should|shall|will|must|to|continue|take|consider|make|be|provide|adopt)\b", words
        )
    else:
        end = re.search(r"\sto\s(?!the\b|a\b|an\b|all\b|its\b|their\b|this\b|that\b|and\b|at\b)[a-z]", words)
    words = words[: end.start()] if end else words[:200]
    return re.split(r"[;:]", words)[0].strip(" ,"), bool(end)


def addressees_in(words: str, acting: bool = True) -> list[str]:
    """The keys of ADDRESSEES named in ``words`` (case matters: "States Members" are not "States
    members of the Zone"); ["other"] when ``words`` name someone who acts (``acting``) not listed."""
    found = [a.key for a in ADDRESSEES if re.search(a.pattern, words)]
    if (
        "countries-of-region" in found
        and "states" in found
        and not re.search(r"(?<!Member )\bStates\b(?! of the region)(?! parties)", words)
    ):
        found.remove("states")
    if not found and acting and words and words.split(",")[0].strip().casefold() not in PRONOUNS:
        found = ["other"]
    return found


PRONOUNS = {"them", "it", "they", "him", "her", "all", "those", "both"}


def reporting(text: str) -> tuple[int | None, datetime.date | None]:
    """The session at which, and the date by which, a report is asked for, where stated."""
    text = FOOTNOTE.sub("", text)
    if not REPORTING.search(text):
        return None, None
    session = None
    for match in SESSION.finditer(text):
        before = text[max(0, match.start() - 250) : match.start()]
        if REPORTING.search(before) or REPORTING.search(text[match.end() : match.end() + 80]):
            session = ordinal_to_number(match.group(1)) or _HUNDREDTH.get(match.group(1).casefold())
            if session:
                break
    due = None
    match = DUE_DATE.search(text)
    if match and match.group(3):
        year, month = int(match.group(3)), MONTHS[match.group(2).casefold()]
        if match.group(1):
            due = datetime.date(year, month, int(match.group(1)))
        else:  # "by June 2025": the end of that month
            nextmonth = datetime.date(year + month // 12, month % 12 + 1, 1)
            due = nextmonth - datetime.timedelta(days=1)
    return session, due


# A later clause that asks someone else to act: "..., and requests the Secretary-General to ...".
LATER_ASK = re.compile(
    r"(?:[,;]|\band\b)\s+(?:(?:also|further|once again|again|therefore|in this regard|in that regard),?\s+)*"
    r"(requests|calls upon|calls on|urges|encourages|invites|authorizes|demands|recommends)"
    r"\s+(?:(?:also|in this regard|in that regard|further),?\s+)?"
)


def _plain(text: str) -> str:
    return FOOTNOTE.sub("", text).replace("\u2011", "-").replace("\u00a0", " ")


def extract(lead_phrase: str, text: str) -> MandateFacts:
    """The mandate facts of one operative paragraph. Addressees are everyone it asks to act: those of
    its lead verb, of a later clause that asks ("..., and invites Member States to ..."), and, for a
    decision, the named actors of its "that" clause ("Decides that the Secretary-General shall ...")."""
    lead_phrase, text = _plain(lead_phrase), _plain(text)
    request = request_class(lead_phrase, text)
    facts = MandateFacts(request=request)
    named: list[str] = []
    if request in ASKING:
        words, acting = addressee_words(lead_phrase, text)
        acting = acting and not lead_phrase.casefold().endswith(" for")  # "Calls for peace": what, not whom
        facts.addressee_text = words[:500]
        named += addressees_in(words, acting)
    elif request == RequestClass.DECIDES and (
        that := re.match(r"\s*that,?\s+(.{0,200}?)\s(?:shall|should)\b", text)
    ):
        named += [key for key in addressees_in(that.group(1)) if key != "other"]
    for later in LATER_ASK.finditer(text):
        named += addressees_in(*addressee_words("", text[later.end() :]))
    facts.addressees = [a.key for a in ADDRESSEES if a.key in named]
    facts.report_session, facts.report_due = reporting(f"{lead_phrase} {text}")
    facts.recurring = bool(RECURRING.search(f"{lead_phrase} {text}"))
    return facts
