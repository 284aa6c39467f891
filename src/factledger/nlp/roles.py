"""Roles and statuses of people read from the text around a name (no parse needed).

Pure functions over strings, so they work on every sentence, parsed or not; the words
come from ``rules/people.json``. ``factledger.nlp.entities`` calls them for each mention.

* ``role_after(text)`` — text right after a name: an apposition (", the deputy head of the
  politburo"), a relative clause (", who served as head of ..."), a copula (" was one of the
  last remaining members of ...").
* ``role_before(text)`` — text right before a name: a fronted apposition ("the mayor of
  Lviv, ", "Hezbollah's most senior military official, ", "A former lawmaker, ").
* ``status_after(text)`` — " was killed", ", 60, died", ", his assistant, was also killed",
  " and Hussam – who are also sanctioned" (not when negated: " was not killed").
* ``status_noun(before, after)`` — "Salama's death", "the arrest of X".
* ``pronoun_status(text)`` — a sentence opening "He was sentenced ..." (its person is the
  caller's business); ``pronoun_role`` the same for "He was a senior adviser to ...".
* ``definite_role(text)`` — "..., the defence minister continued" (a speaker named by role).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import RulesError
from ..rules import read_json


@dataclass(frozen=True)
class PeopleRules:
    role_heads: frozenset[str]
    role_words: frozenset[str]  # role heads and the other words of a title
    status_lemmas: dict[str, str]
    status_participles: dict[str, str]
    status_nouns: dict[str, str]


@lru_cache(maxsize=1)
def people_rules() -> PeopleRules:
    """``rules/people.json``, validated (RulesError names the bad key)."""
    data = read_json("people.json")
    try:
        heads = frozenset(str(w).lower() for w in data["role_heads"])
        words = heads | frozenset(str(w).lower() for w in data["role_words"])
        maps = [{str(k).lower(): str(v) for k, v in data[key].items()}
                for key in ("status_lemmas", "status_participles", "status_nouns")]
    except (KeyError, TypeError, AttributeError) as exc:
        raise RulesError(f"rules/people.json is invalid: {exc!r} (needs role_heads, role_words, "
                         "status_lemmas, status_participles, status_nouns)") from exc
    return PeopleRules(heads, words, *maps)


def _alternatives(words: frozenset[str] | list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_NAME_WORD = r"[A-Z][\w’'-]+"
_WORD = r"[\w’'-]+"
# A word of a title before its head noun: not a preposition, conjunction or verb of speech.
_PLAIN = rf"(?!(?:after|before|in|on|at|with|by|from|to|that|as|when|while|and|or|but|said|says|of)\b){_WORD}"
_SPEECH = re.compile(r"\s+(?:said|says|told|added|wrote|posted|noted|explained|continued)\b.*$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    rules = people_rules()
    head = rf"(?:{_alternatives(rules.role_heads)})s?\b"
    participle = rf"(?P<status>{_alternatives(list(rules.status_participles))})\b"
    noun = rf"(?:{_alternatives(list(rules.status_nouns))})"
    # "of Lviv", "of Hamas's political bureau", "to Hassan Nasrallah", "from MDA"
    complement = rf"(?:\s+(?:of|to|for|from|at|in)\s+(?:the\s+)?{_WORD}(?:\s+{_WORD}){{0,4}})?"
    adverbs = r"(?:(?:also|reportedly|later|allegedly|subsequently|then|eventually|ultimately|apparently)\s+){0,2}"
    return {
        "after": re.compile(
            r"^,\s+(?:who\s+(?:had\s+)?(?:served|serves|has\s+served|was|is)\s+"
            r"(?:(?:elected|appointed|named)\s+)?(?:as\s+)?(?:the\s+|a\s+|an\s+)?|the\s+|a\s+|an\s+)?"
            rf"(?P<role>(?:{_WORD}\s+){{0,8}}?{head}[^,.;)]*)"),
        "copula": re.compile(
            r"^\s+(?:is|was|has\s+been|had\s+been|became|remains)\s+(?:also\s+)?"
            rf"(?:the\s+|a\s+|an\s+|one\s+of\s+the\s+)(?P<role>(?:{_WORD}\s+){{0,5}}?{head}"
            rf"(?:\s+and\s+(?:{_WORD}\s+){{0,2}}?{head})?{complement})"),
        "before": re.compile(
            rf"(?:\b(?:[Tt]he|[Aa]n?|[Aa]nother|[Oo]ne|[Hh]is|[Hh]er|[Tt]heir)\s+(?P<role>(?:{_PLAIN}\s+){{0,5}}?{head}"
            rf"(?:\s+and\s+(?:{_PLAIN}\s+){{0,2}}?{head})?{complement})"
            # "Kassab's assistant, ", "Hezbollah's most senior military official, ": any lower-case words
            rf"|\b(?P<owner>{_NAME_WORD}(?:\s+{_NAME_WORD})?)(?:[’']s|[’'])\s+(?P<relation>[a-z][a-z -]{{2,40}}))"
            r",\s*$"),
        "status": re.compile(
            r"^(?:\s*,\s*[^,;]{1,90}?,)?"  # an apposition or an age: ", his assistant,", ", 60,"
            rf"(?:\s+and\s+(?:{_NAME_WORD}\s*){{1,3}})?"  # " and Hussam"
            r"\s*(?:,|[–—-])?\s*(?:who\s+)?"
            rf"(?:(?:was|were|has\s+been|had\s+been|have\s+been|is|are)\s+{adverbs}{participle}"
            rf"|{adverbs}(?P<active>died|resigned)\b)"),
        "noun_after": re.compile(rf"^(?:[’']s?)\s+(?P<noun>{noun})\b"),
        "noun_before": re.compile(rf"\b(?P<noun>{noun})\s+of\s+(?:{_WORD}\s+){{0,4}}$"),
        "pronoun": re.compile(
            rf"^(?:He|She)\s+(?:(?:was|has\s+been|had\s+been|is)\s+)?{adverbs}{participle}"),
        "definite": re.compile(
            rf"\b[Tt]he\s+(?P<role>(?:{_PLAIN}\s+){{0,3}}?{head}{complement})\s+"
            r"(?:said|says|added|continued|noted|told|wrote|explained|stressed)\b"),
        "pronoun_role": re.compile(r"^(?:He|She)(?=\s+(?:is|was|has\s+been|had\s+been|became)\s)"),
    }


_NEGATION = re.compile(r"\b(?:not|n[’']t|never|denied|deny|denies|if)\b", re.IGNORECASE)


def clean_role(role: str, *, drop_name: bool = False) -> str:
    """The role without what follows it: a verb of speech, a time ("in 2017", "on Friday"),
    and with ``drop_name`` a trailing full name ("deputy head of the politburo Ismail Haniyeh",
    where a clause runs on into the next name)."""
    role = _SPEECH.sub("", role)
    role = re.split(r"\s+(?:in|on|since|until|after|before)\s+(?:\d{4}|[A-Z])", role)[0]
    if drop_name:
        role = re.sub(r"(?:\s+[A-Z][\w'-]+){2,}$", "", role)
    return role.strip(" ,;:")


def role_after(text: str) -> str | None:
    """The role stated right after a name (``text`` starts where the name ends)."""
    p = _patterns()
    m = p["after"].match(text) or p["copula"].match(text)
    return clean_role(m["role"]) or None if m else None


def role_before(text: str) -> str | None:
    """The role of a fronted apposition (``text`` ends where the name starts)."""
    m = _patterns()["before"].search(text[-160:])
    if not m:
        return None
    if m["owner"]:
        return f"{m['owner']}'s {clean_role(m['relation'])}"
    return clean_role(m["role"])


def status_after(text: str) -> str | None:
    """The status stated right after a name: " was killed", ", 60, died" -> "killed"."""
    m = _patterns()["status"].match(text)
    if not m:
        return None
    return people_rules().status_participles[" ".join((m["status"] or m["active"]).lower().split())]


def status_noun(before: str, after: str) -> str | None:
    """"Salama's death" (``after`` = "'s death ...") or "the killing of X" (``before``), unless
    the sentence so far negates or doubts it ("has not confirmed Shukr's death")."""
    p = _patterns()
    m = p["noun_after"].match(after) or p["noun_before"].search(before[-80:])
    if not m or _NEGATION.search(before):
        return None
    return people_rules().status_nouns[m["noun"].lower()]


def pronoun_status(sentence: str) -> str | None:
    """"He was sentenced to 18 months" -> "sentenced" (a sentence opening with He/She)."""
    m = _patterns()["pronoun"].match(sentence)
    return people_rules().status_participles[" ".join(m["status"].lower().split())] if m else None


def pronoun_role(sentence: str) -> str | None:
    """"He was a senior military adviser to ..." -> "senior military adviser to ..."."""
    m = _patterns()["pronoun_role"].match(sentence)
    return role_after(sentence[m.end():]) if m else None


def definite_role(sentence: str) -> str | None:
    """"..., the defence minister continued": a role named instead of the speaker's name."""
    m = _patterns()["definite"].search(sentence)
    return clean_role(m["role"]) if m else None
