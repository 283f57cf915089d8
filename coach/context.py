"""Pulls the topic a manager mentioned ("last time we talked about her SQL dashboards") out of free text."""

from __future__ import annotations

import re

_CUES = (
    r"talked about|spoke about|chatted about|discussed|covered|went over|touched on|focused on|feedback on|"
    r"worked on|working on|work on|led|leading|lead on|shipped|launched|finished|delivered|presented|built|"
    r"building|rolled out|ran|running|organised|organized|managed|drove|driving|coordinated|designed|planned|handled|took over|"
    r"closed|won|landed|signed|completed|wrapped up|fixed|resolved|migrated|mentored|onboarded|hired|ran point on|"
    r"owned|owns|struggled with|struggling with|stuck on|progress on|update on|about|"
    r"regarding|around|on"
)
_STOP = r"(?:[.;:!?()\n]|,|\s+(?:and|but|which|who|that|because|so|where|when|while|since|last|this|next|after|before|until|for|being|was|were|is|are|has|had|went|seems|got|to|well|recently|lately|again|successfully|really|quite)\b|$)"
_CUE_RE = re.compile(rf"\b(?:{_CUES})\s+(.+?){_STOP}", re.IGNORECASE)
_POSSESSIVE = re.compile(r"^(?:her|his|their|my|our)\s+", re.IGNORECASE)
_BAD_START = re.compile(r"^(?:how|what|whether|why|if|it|that|this|them|him|me|us|you|time|track|board|the fact|her$)\b", re.IGNORECASE)
_ACRONYM = re.compile(r"\b([A-Z][A-Za-z0-9]*[A-Z0-9][A-Za-z0-9]*|[A-Z]{2,})((?:\s+[a-z][a-z-]+){0,2})")
MAX_WORDS = 6


def extract_topic(context: str) -> str | None:
    """A short noun phrase naming what the context is about, addressed to the employee ("your SQL dashboards")."""
    text = " ".join(context.split())
    if not text:
        return None
    for match in _CUE_RE.finditer(text):
        phrase = match.group(1).strip(" '\"")
        if not phrase or _BAD_START.match(phrase):
            continue
        words = phrase.split()
        if len(words) > MAX_WORDS or not any(len(w) > 2 for w in words):
            continue
        return _address(phrase)
    acronym = _ACRONYM.search(text)
    if acronym and acronym.group(2):
        return _address(f"the {acronym.group(1)}{acronym.group(2)}".strip())
    return None


def _address(phrase: str) -> str:
    """'her dashboards' becomes 'your dashboards': the questions are asked to the employee."""
    phrase = phrase.rstrip(" .")
    if _POSSESSIVE.match(phrase):
        return _POSSESSIVE.sub("your ", phrase)
    if re.match(r"^(?:the|a|an|your)\s", phrase, re.IGNORECASE):
        return phrase[0].lower() + phrase[1:]
    return f"the {phrase}" if not phrase[:1].isupper() or " " in phrase else phrase
