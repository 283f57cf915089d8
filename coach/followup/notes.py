"""Meeting notes as managers write them: lines, sections and sentences, then commitments and cues.

Every text this module hands back as evidence is a slice of the notes, so it is an exact quote.
Lines that talk to a machine ("ignore previous instructions ...") are skipped: notes are data.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from coach.followup.dates import DateOrder, find_due_phrase, infer_date_order, is_asap, resolve_due_date

# Emoji and pictographs that lead a line as its bullet ("✅ Malik → write the plan", "🤔 maybe: ...").
_EMOJI = r"[\u2600-\u27bf\U0001f300-\U0001faff]\ufe0f?"
# A bullet, a number or letter ("2.", "(a)", "iii)"), a timestamp ("14:21"), an emoji or a checkbox, alone or
# together ("- [ ]").
_BULLET = re.compile(r"^\s*(?:(?:->|=>|[-*•·+‣◦>→]|~(?=\s)|[–—](?=\s)|\d{1,2}[.)](?=\s)|\(\d{1,2}\)(?=\s)|"
                     r"\(?(?:[a-z]|ii|iii|iv|vi|vii|viii|ix)\)(?=\s)|" + _EMOJI + r"|"
                     r"\d{1,2}:\d{2}(?:\s*[ap]m)?(?=\s))\s*(?:\[[ xX✓✔]?\]\s*)?|\[[ xX✓✔]?\]\s*)", re.IGNORECASE)
# A cross as the bullet marks an item as not happening: "❌ Cannes Lions: no budget this year".
_CROSSED = re.compile(r"[❌✗✘⛔🚫]")
# "Q:" and "A:" lead the lines of notes written as questions and answers; they name no one.
_QA_LABEL = re.compile(r"^\s*[QA]\s*[:.]\s+")
# A question about when to meet next ("Q: When do we check in?"): its answer on the next line dates the check-in.
_CHECKIN_QUESTION = re.compile(r"^when\b[^?]*\b(?:check[- ]?in|meet|catch[- ]?up|talk|sync|1[:-]1|next)\b[^?]*\?\s*$",
                               re.IGNORECASE)
# A ticked checkbox ("- [x] shared the rubric") or a struck-through item ("~~nominate T~~") is done or dropped.
_DONE_ITEM = re.compile(r"^\s*(?:(?:->|=>|[-*•·+‣◦>→]|\d{1,2}[.)])\s*)?(?:\[[xX✓✔]\]|\[[ ]?\]\s*~~|~~)")
# A markdown heading ("### Next steps"): a section header even without its colon.
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<h>.+?)\s*#*\s*$")
# A tag in brackets at the start of a line ("[ACTION]", "[IDEA]", "[NEXT]"); checkboxes are one character.
_TAG = re.compile(r"^\s*\[(?P<tag>[A-Za-z][A-Za-z /&-]{1,20})\]\s*[:\-–—]?\s*")
_ACTION_TAG = re.compile(r"^(?:actions?|action\s+items?|ais?|aps?|todos?|to-?dos?|tasks?|next\s+steps?|"
                         r"follow[- ]?ups?|commitments?|owner|agreed)$", re.IGNORECASE)
_CHECKIN_TAG = re.compile(r"^(?:next|next\s+(?:1:1|meeting|check[- ]?in|chat|sync)|check[- ]?in|follow[- ]?up\s+date)$",
                          re.IGNORECASE)
# Labels that say a line is explicitly not an action: ideas, parked items, things done or declined.
_DECOY_LABEL = re.compile(r"^(?:parked|ideas?|maybe|later|someday|nice[- ]to[- ]haves?|done|completed|declined|"
                          r"backlog|fyi|out\s+of\s+scope|not\s+(?:an?\s+)?(?:todo|to-?do|action(?:\s+item)?|ai|"
                          r"commitment)|no\s+actions?)$", re.IGNORECASE)
# Fields written after the action on one line: "... — Owner: Luis — Due: 8/29".
_FIELD_KEY = r"(?:owners?|who|assignee|due(?:\s+date)?|deadline|by\s+when|eta|target\s+date)"
_FIELD = re.compile(rf"(?:\s*[-–—|,;(]\s*|\s+)\b(?P<key>{_FIELD_KEY})\s*[:=]\s*(?P<value>[^—–|;()]+?)\s*\)?"
                    rf"(?=\s*[-–—|,;]\s*\b{_FIELD_KEY}\s*[:=]|\s*$)", re.IGNORECASE)
# A markdown table row ("| Sarah | Share the promo rubric | tomorrow |") and its separator row ("|---|---|").
_TABLE_ROW = re.compile(r"^\s*\|(?P<cells>.*)\|\s*$")
# The same row written without its outer pipes ("Lucia | Complete the course | 29 Aug"): three cells or more.
_BARE_TABLE_ROW = re.compile(r"^\s*(?P<cells>[^|\s][^|]*(?:\|[^|]*){2,}[^|\s])\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
_COLUMN_ROLES = [("owner", re.compile(r"^(?:owners?|who|assignee|responsible|person|by\s+whom)$", re.I)),
                 ("action", re.compile(r"^(?:actions?|action\s+items?|what|tasks?|items?|to-?dos?|next\s+steps?|"
                                       r"commitments?|ai|description)$", re.I)),
                 ("due", re.compile(r"^(?:due(?:\s+date)?|when|by\s+when|by|deadline|date|target(?:\s+date)?|eta|"
                                    r"timeline|timing)$", re.I))]
# "on me:", "on Diego:" at the start of a line: the one after "on" owns what follows.
_ON_OWNER = re.compile(r"^on\s+(?P<name>me|him|her|[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)?)\s*[:\-–—]\s+")
# A recap's section label that names who does what follows: "What you're doing:", "What I'm doing:",
# "Things Ana is working on:"; "What we're not doing yet:" lists what nobody does.
_WHO_LABEL = re.compile(r"^(?:what|things)\s+(?P<name>I|you|we|[A-Z][\w’'-]*)"
                        r"(?:['’](?:m|re|s)|\s+(?:am|are|is|will\s+be))\s+(?P<neg>not\s+)?"
                        r"(?:doing|working\s+on|taking\s+on|committing\s+to|owning|picking\s+up)"
                        r"(?:\s+(?:yet|next|now|for\s+now))?\s*[:\-–—]\s+", re.IGNORECASE)
# A speaker label in a transcript ("TD: Good. I'll update ..."); the speaker is who "I" means on that line.
_SPEAKER = re.compile(r"^(?P<speaker>[A-Z]{1,3}|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)(?:\s*\([^)]{1,30}\))?\s*:\s+")
_FIRST_SECOND_PERSON = re.compile(r"\b(?:I|I['’](?:m|ve|ll|d)|you|your|my)\b|\?\s*$")
# A header that names whose words or plans follow: "What he told me he'd do:", "What she'll do:".
_WHO_HEADER = re.compile(r"^(?:what|things)\s+(?P<name>I|you|he|she|they|[A-Z][\w’'-]*)\s+"
                         r"(?:(?:told\s+me|said|agreed|promised|committed)\s+(?:(?:that\s+)?(?:I|you|he|she|they)"
                         r"(?:['’]d|\s+would)\s+|to\s+)|['’]ll\s+|will\s+|(?:is|are|am)\s+going\s+to\s+)do$",
                         re.IGNORECASE)
_OPEN_QUOTE = re.compile(r"^\s*[\"“]\s*")
_HEADER = re.compile(r"^(?P<h>[A-Za-z][\w /&'’()-]{0,40}?)\s*:\s*$")
_ACTION_HEADER = re.compile(r"^(?:we\s+(?:also\s+|both\s+)?)?(?:agreed\s+)?(?:action(?:\s+item)?s?|next\s+steps?|"
                            r"agreed|agreements?|to-?dos?|follow[- ]?ups?|commitments?|decisions?|ais?|owners?|"
                            r"outcomes?|the\s+plan|plan)\b", re.IGNORECASE)
# A short line that is only an action header, even without its colon ("- AIs", "follow-ups").
_BARE_HEADER = re.compile(r"^(?:we\s+(?:also\s+)?agreed|agreed|action\s+items?|actions|next\s+steps|ais|to-?dos?|"
                          r"follow[- ]?ups?|commitments)\s*:?\s*$", re.IGNORECASE)
# A heading that is only "Next" or "Next time": the line under it dates the next check-in.
_NEXT_HEADING = re.compile(r"^(?:next|nxt)(?:\s+(?:time|one|up))?$", re.IGNORECASE)
_MARKER = re.compile(r"^(?:ai|a/i|ap|action(?:\s+(?:items?|points?))?|actions|todo|to-?do|next\s+steps?|plan|"
                     r"the\s+plan|(?:we\s+)?(?:also\s+)?agreed|decided)\b(?:\s*\((?P<qualifier>[^)]{1,30})\))?"
                     r"(?:\s+(?P<name>[^\s:,()]+))?\s*[:\-–—]\s*", re.IGNORECASE)
_INJECTION = re.compile(
    r"\b(?:ignore|disregard|forget|override)\b.{0,40}\b(?:previous|prior|above|earlier|all|any)\b.{0,30}"
    r"\b(?:instructions?|prompts?|rules?|directions?|messages?)\b|\bsystem\s+prompt\b|\byou\s+are\s+now\b|"
    r"\bnew\s+instructions?\s*:|<\s*/?\s*(?:system|assistant|notes)\s*>", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<label>concerns?|risks?|blockers?|worr(?:y|ies)|issues?|goals?|aspirations?|long[- ]term|"
                    r"reflections?|wins?|highlights?|feedback|context|background|discussed|notes?)\s*[:\-–]\s*",
                    re.IGNORECASE)
# A month abbreviated with a full stop ends no sentence before its day ("Sept. 16"); before a word it may
# ("by 16 Sept. I'm going to ..."). Titles ("Prof. Lindgren") and an initial before a verb ("V. shares") end none.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])(?!(?<=\b(?:jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\.)\s+\d)"
                             r"(?!(?<=\bsept\.)\s+\d)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\b(?:dr|mr|ms)\.)"
                             r"(?<!\bmrs\.)(?<!\bprof\.)(?!(?<=\b(?-i:[A-Z])\.)\s+(?-i:[a-z]))"
                             r"\s+(?=[A-Z0-9\"'“(])|;\s+",
                             re.IGNORECASE)
# Dictated notes run on without punctuation ("... so i'm going to talk to X by friday and she said she'd ...");
# such a run is cut before each pronoun that starts a new statement, the "so"/"and"/"um" before it dropped
# (the "then" of "by then" stays).
_RUN_ON_BREAK = re.compile(r"\s+(?:(?:so|and|but|(?<!\bby\s)(?<!\bbefore\s)then|also|anyway|um+|uh+)\s+)*"
                           r"(?=(?:i|we|he|she|they)(?:['’](?:m|ll|d|s|re|ve)\b|"
                           r"\s+(?:will|would|said|told|asked|agreed|decided|wants?|wanted|needs?|think|thinks|also|"
                           r"can|should|mentioned|might|may|is|are|am|was|were)\b)|"
                           # "... I'll do that by friday next time we meet is aug 7": the check-in starts anew
                           r"(?:next|nxt)\s+(?:time|1[:-]1|check[- ]?in|meeting|catch[- ]?up)\b)", re.IGNORECASE)
# Words after which a pronoun continues the statement rather than starting one ("she said she'd", "told her she").
_RUN_ON_KEEP = {"said", "says", "say", "told", "tell", "that", "think", "thinks", "thought", "if", "when", "because",
                "whether", "asked", "know", "knows", "hope", "hopes", "feel", "feels", "felt", "guess", "her", "him",
                "them", "me", "us", "what", "where", "how", "why", "who", "which"}
_RUN_ON_MIN_WORDS = 25
_FILLER = re.compile(r"^(?:(?:also|and|then|plus|finally|additionally|so|ok|okay|next)\b[,:]?\s+)+", re.IGNORECASE)
# A phrase that links a promise to what came before it: "To that end she is going to ...".
_LEAD_ADVERBIAL = re.compile(r"^(?:to\s+that\s+end|to\s+(?:do|get\s+there|make\s+that\s+happen)|"
                             r"with\s+that\s+in\s+mind|"
                             r"in\s+the\s+meantime|meanwhile|as\s+a\s+(?:first|next)\s+step|after\s+that|"
                             r"in\s+the\s+short\s+term)\b\s*,?\s+(?=[A-Za-z])", re.IGNORECASE)
_AGREED = re.compile(r"^(?:(?:we\s+)?(?:also\s+)?(?:both\s+)?(?:agreed|decided)|agreement|decision)(?:\s+that)?\s*[:,\-–]?\s+",
                     re.IGNORECASE)
_MODAL = re.compile(
    r"^(?:\s*[’']ll|\s*[’'](?:s|re|m)\s+(?:going\s+to|gonna)|\s+(?:is|are|am)\s+gonna|(?:\s+(?:also|then|now|still|both|already))?\s+(?:will|wil|shall|is going to|are going to|am going to|to|"
    r"agreed to|agrees to|(?:has|have)(?:\s+(?:also|already|now|both))?\s+(?:agreed|committed)\s+to|"
    r"committed to|commits to|promised to|promises to|offered to|offers to|"
    r"volunteered to|volunteers to|needs to|need to|should|must|plans to|intends to|is to|can))"
    r"(?:\s+(?:also|then|now|first|still|probably|definitely|personally|both))*\s+",
    re.IGNORECASE)
_STRONG_MODAL = re.compile(r"^(?:\s*[’']ll|\s+(?:will|shall|agreed to|is going to|are going to|"
                           r"has(?:\s+also)?\s+agreed to|promised to))\s",
                           re.IGNORECASE)
_REPORTED = re.compile(r"^(?:(?P<who>I|he|she|they|[A-Z][\w’'-]+)\s+)?(?:said|"
                       r"told\s+(?:him|her|them|me|[A-Z][\w’'-]+)|promised|"
                       r"offered)\s+(?:that\s+)?(?P<then>I|he|she|they|you)(?:['’]d|\s+would)\s+", re.IGNORECASE)
# A promise quoted after "said": 'she said "I'll put in the swap request"' is hers, as if reported.
_QUOTED_REPORT = re.compile(r"^(?P<who>he|she|they|you|[A-Z][\w’'-]+)\s+(?:said|says|told\s+me|promised)\s*[,:]?\s*"
                            r"[\"“]\s*I(?:['’]ll|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to)\s+",
                            re.IGNORECASE)
_CLOSING_QUOTE = re.compile(r"[\"”]")
_COLON = re.compile(r"^\s*(?:->|=>|→|[:\-–—])\s*")
_SUBJECTLESS = re.compile(r"^(?:(?:we\s+)?need\s+to|needs\s+to|someone\s+(?:needs\s+to|to|should|will|must)|"
                          r"tbd\s*[:\-–]?|to\s+do\s*:)\s*", re.IGNORECASE)
# A short apposition after a name that is not a participant: "Tom from the PMO", "Elena in research",
# "Dana (enablement)", "Elena's team".
_APPOSITION = re.compile(r"^(?:\s+(?:from|in|at|on|of)\s+(?:the\s+)?[\w&/-]+(?:\s+(?:team|office|org|group))?|"
                         r"\s*\([^()]{1,40}\)|['’]s\s+(?:team|manager|lead|boss|office|group|org))")
# "I own getting him onto the rotation - end of May", "Mei Lin owns picking a project by Friday".
_OWNS = re.compile(r"^\s+(?:owns?|is\s+owning)\s+(?P<what>\S.*)$", re.IGNORECASE)
# Two owners joined: "FL & HY", "Nadia and I".
_PAIR = re.compile(r"\s(?:and|&|\+)\s", re.IGNORECASE)
# A clause that opens with a condition, a negation or a pronoun is no bare imperative ("Before she takes on
# people", "not pursuing for now", "it's realistic for spring").
_NOT_IMPERATIVE = re.compile(r"^(?:before|after|when|whenever|once|if|unless|until|till|while|since|because|"
                             r"as\s+soon\s+as|not|no|never|it|it['’]s|its|that|that['’]s|this|there|there['’]s|"
                             r"these|those|he|she|they|we|i)\b", re.IGNORECASE)
_REPORTED_VERB = re.compile(r"^(?P<w>[A-Z][\w’'-]*)\s+(?:[a-z]+ed|said|says|thought|thinks|felt|feels|told|might|"
                            r"may|could|would|was|is|has|had)\b")


def _reports_someone(clause: str) -> bool:
    """A clause that reports what someone not in the meeting did or said ("Omar mentioned ..."): no imperative."""
    match = _REPORTED_VERB.match(clause)
    return bool(match) and match.group("w").lower() not in _ACTION_VERBS


# "you" is whom the notes address: the employee in a recap the manager sends ("What you're doing: ...").
_PRONOUNS = {"i": "manager", "me": "manager", "he": "employee", "she": "employee", "they": "employee",
             "him": "employee", "her": "employee", "you": "employee", "we": "shared", "us": "shared"}
_SUBJECT_WORD = re.compile(r"^(?P<w>[A-Za-z][\w-]*)")
_NOT_A_PERSON = {"this", "that", "it", "there", "here", "team", "everyone", "nobody", "someone", "the", "a", "an",
                 "budget", "next", "last", "plan", "goal", "action", "todo", "ai", "she's", "he's", "they're"}
# Verbs in the third person that describe, not commit: "Sam writes good code" is no action item.
_NOT_ACTIONS = {"is", "was", "has", "had", "wants", "wanted", "needs", "feels", "felt", "likes", "loves", "thinks",
                "says", "said", "enjoys", "seems", "sees", "knows", "does", "gets", "hopes", "aspires", "prefers",
                "worries", "struggles", "reflects", "mentions", "raises", "raised", "finds", "believes", "looks"}
# Common first words of an action; "- me: ask Lisa ..." is an action even with no date or "Actions:" header.
_ACTION_VERBS = set("""add agree apply approve arrange ask attend audit automate benchmark block book build cancel check
circulate clarify coach collect compile complete confirm connect convert cover create decide define delegate deliver
demo design discuss do document draft drive email enrol enroll escalate evaluate explore facilitate finalise finalize
find finish fix follow forward gather get give help hire host identify implement interview introduce intro invite
investigate join lead learn list log look loop make map measure meet mentor migrate nominate onboard organise
organize outline own pair pick ping pitch plan practice practise prepare present propose provide publish put raise
reach read record refactor register renew request research reserve review revisit revise rewrite run schedule send
set share shadow ship sign sort speak start study submit summarise summarize support sync take talk teach test
think track train try update watch write""".split())
_CUE_START = re.compile(r"^(?:wants?|wanted|would like|interested|aspires?|hopes?|felt|feels|enjoyed|proud|learned|"
                        r"worried|concerned|unsure|frustrated|long[- ]term|goal|is|was|has|had)\b", re.IGNORECASE)
_CHECKIN_WORDS = (r"(?:check[- ]?ins?|chk[- ]?ins?|checkins?|1[:-]1s?|1on1s?|one[- ]on[- ]ones?|catch[- ]?ups?|mtgs?|"
                  r"follow[- ]?ups?|sit[- ]?downs?|"
                  r"meetings?|conversations?|convos?|sessions?|syncs?|chats?)")
# Two people meeting again, said as a plan: "meet first week back", "meet on the 24th", "review progress".
_MEET_AGAIN = (r"meet\s+(?=(?:again|back|on|in|at|next|first|after|before|early|late|mid|end|the\s+week|\d|"
               r"(?:mon|tue|wed|thu|fri)[a-z]*\b))|review\s+(?:progress|how\s+(?:it|things)\s+(?:went|are\s+going|"
               r"is\s+going))\b")
# Words that make "the next ... meeting" a group's meeting, not the 1:1 ("the next TA team meeting").
_GROUP_MEETING = (r"(?:team|staff|all[- ]hands|town[- ]?hall|department|dept|board|guild|sprint|project|leadership|"
                  r"planning)")
# A date right after a check-in word ("Regular 1:1 Thursday the 26th", "1:1 - 3/19").
_DATE_AHEAD = (r"(?=\s*[:\-–—]?\s*(?:on\s+)?(?:(?:mon|tue|wed|thu|fri)[a-z]*\b|\d|"
               r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d))")
CHECKIN = re.compile(rf"(?<![\w-])(?:next|nxt|another|following)\s+(?:(?!{_GROUP_MEETING}\b)(?:[\w-]+|[+&])\s+){{0,2}}?"
                     rf"{_CHECKIN_WORDS}(?![\w-])|"
                     # "Next review: Thu 1 May" (not "the next review cycle")
                     r"(?<![\w-])next\s+review\b(?!\s+(?:cycles?|periods?|rounds?|windows?|process)\b)|"
                     # "We'll meet first week back, Tue 1 Sept", "We will review progress on 24 April"
                     rf"\b(?:we(?:['’]ll|\s+will|\s+shall)|let['’]?s)\s+(?:{_MEET_AGAIN})|"
                     r"\b(?:reconvene|regroup|meet\s+again)\b|"
                     # "next time we meet is aug 7"
                     r"(?<![\w-])(?:next|nxt)\s+time\s+(?:we|I|you\s+and\s+I)\s+"
                     r"(?:meet|talk|speak|sit\s+down|catch\s+up)\b|"
                     # "we'll reconnect first week of april", "let's reconnect in May"
                     r"(?:\bwe(?:['’]ll|\s+will|\s+should|\s+can)?|\blet['’]?s|^)\s*reconnect\b"
                     r"(?!\s+(?:with|her|him|them|me|us)\b)|"
                     # "Next talk we make in one month", "Cadence: monthly, next one 2 Oct", "Regular 1:1 Thu the 26th"
                     r"^(?:our\s+)?next\s+talk\b|^cadence\s*:|"
                     r"^(?:(?:regular|usual|normal|weekly|bi-?weekly|fortnightly|monthly)\s+)?"
                     rf"(?:1[:-]1|1on1|one[- ]on[- ]one|check[- ]?in|catch[- ]?up|sync){_DATE_AHEAD}|"
                     r"\b(?:meet|check[- ]?in|catch[- ]?up|sync|reconvene|regroup|touch\s+base|talk|check|sit\s+down)"
                     r"\s+(?:again|back)\b|\bdo\s+this\s+again\b|"
                     # "pick this back up in three weeks", "1:1 again 5/6"
                     r"\bpick\s+(?:this|it|things|the\s+conversation)\s+(?:back\s+)?up(?:\s+again)?\b|"
                     rf"^{_CHECKIN_WORDS}\s+again\b|"
                     rf"^[*_]{{0,2}}(?:follow[- ]?up|check[- ]?in|catch[- ]?up|reconvene|regroup|"
                     rf"(?:next|nxt)(?:\s+time)?\s*[*_]{{0,2}}\s*:)",
                     re.IGNORECASE)
_CHECKIN_DUE = re.compile(rf"(?:by|before|at|until|till)\s+(?:the\s+|our\s+)?(?:next|nxt)\s+"
                          rf"(?:{_CHECKIN_WORDS}|review)",
                          re.IGNORECASE)
_CHECKIN_ACTION = re.compile(r"^(?:(?:all|both|everyone|we)\s*:\s*)?(?:(?:meet|check[- ]?in|catch[- ]?up|sync|reconvene|"
                             r"regroup|touch\s+base|talk|check|sit\s+down)(?:\s+up)?\s+(?:again|back)\b|"
                             r"(?:reconvene|regroup)\b|reconnect\b(?!\s+(?:with|her|him|them|me|us)\b)|"
                             r"(?:all\s+)?meet\s+again\b|follow\s+up\s*(?:on)?\s*$|"
                             r"pick\s+(?:this|it|things|the\s+conversation)\s+(?:back\s+)?up\b|"
                             r"revisit\s*(?:after\b|later\b|then\b|once\b|on\b|in\b|$))",
                             re.IGNORECASE)
# Hedges: a maybe is not a promise ("maybe PGConf in the autumn", "nice to have: a speaking slot").
# "depends on budget", "if and when it happens": a condition, not a promise; "think about it" is no promise unless
# a dated answer follows ("think abt it and come back w a yes/no by fri").
_HEDGE = re.compile(r"^(?:maybe|mayb|might|perhaps|possibly|ideally|nice[- ]to[- ]have|would be nice|someday)\b|"
                    r"\b(?:at some point|some ?day|if (?:the )?(?:travel )?budget allows|"
                    r"think (?:about|abt) it(?!\s+(?:and|&|\+)\s+(?:come|get|report)\s+back)|"
                    r"depend(?:s|ing)\s+(?:on|if|whether)|if\s+and\s+when|"
                    # an answer still open: "he'll think about the opening, no answer yet", "nothing agreed"
                    r"no\s+(?:answer|decision|commitment)\s+(?:yet|made|for\s+now)|"
                    r"nothing\s+(?:agreed|decided|committed)|"
                    r"not\s+(?:yet\s+)?(?:decided|committed)|"
                    # a decision put off: "we'll agree a date closer to the time"
                    r"closer\s+to\s+the\s+time|nearer\s+(?:to\s+)?the\s+time|in\s+due\s+course|"
                    # a decision put off: "she will decide later"
                    r"(?:decide|decision)\s+(?:\w+\s+){0,2}?(?:later|another\s+time))\b",
                    re.IGNORECASE)
# Waiting is no action: "agreed to wait until the hiring freeze decision", "hold off until Q3", "park it",
# "let things settle", "leave it to him to raise", "he'll see", "let's see what the rota looks like".
_WAITING = re.compile(r"^(?:to\s+)?(?:(?:rather|prefer\s+to)\s+)?"
                      r"(?:wait|hold\s+off|hold\s+fire|sit\s+tight|park\s+(?:it|this|that)|pause|"
                      r"let\s+(?:it|this|that|things|the\s+dust)\s+(?:settle|breathe|run|ride|play\s+out)|"
                      r"leave\s+(?:it|this|that|things)\s+(?:up\s+)?to|let['’]?s\s+see|"
                      r"see\s+(?:how|what|whether|if)|see(?=\s*[.!]?\s*$))\b",
                      re.IGNORECASE)
# A line of dialogue that starts with its modal, its speaker left out: "Will write a one-pager by Wed".
_SPOKEN_PROMISE = re.compile(r"^(?:will|shall|can|going\s+to)\s+(?=[a-z])", re.IGNORECASE)
# A promise quoted in the first person after an owner label: 'Ana: "I'll also pair with Raj ..."'.
# After the label a bare modal only repeats it: "Me: will ask the SRE lead ...".
_QUOTED_PROMISE = re.compile(r"^(?:[\"“']?\s*I(?:['’]ll|\s+will|['’]m\s+going\s+to|\s+am\s+going\s+to|\s+can)|"
                             r"(?:will|shall|going\s+to)(?=\s))(?:\s+(?:also|then|now|first|definitely))*\s+(?=[a-z])",
                             re.IGNORECASE)
# A lead-in before the promise itself: "The one concrete thing: I'll look into ...".
_LEAD_IN = re.compile(r"^(?P<lead>[A-Za-z][^:]{2,60}?)\s*:\s+(?=\S)")
# "Over to Samuel to draft the plan", "over to Dana (enablement): confirm the slot".
_OVER_TO = re.compile(r"^(?:over\s+to|hand(?:ed|ing)?\s+(?:it\s+)?(?:over\s+)?to|passing\s+(?:it\s+)?to)\s+(?=\w)",
                      re.IGNORECASE)
# A chain of arrows that ends with its owner and maybe a date: "... -> RFC for the event bus -> Lena, by Fri".
_ARROW_OWNER = re.compile(r"(?:^|(?:->|=>|→)\s*)(?P<action>[^>→]+?)\s*(?:->|=>|→)\s*(?P<who>[^,>→]+?)\s*"
                          r"(?:,\s*(?P<due>[^>→]*?))?\s*$")
# An offer, and the words that turn it down in the same sentence or on the same line.
_OFFER = re.compile(r"\b(?:offered|offer(?:s|ing)?|suggested|proposed)\b", re.IGNORECASE)
_DECLINED = re.compile(r"\b(?:declined|turned\s+(?:it\s+|that\s+|this\s+)?down|said\s+no|not\s+interested|"
                       r"passed\s+on\s+it|(?:would|['’]d)\s+rather\s+(?:wait|not|hold\s+off)|"
                       r"(?:thanks|thank\s+you)\s*,?\s*but\s+(?:no|not)|not\s+yet)\b", re.IGNORECASE)
_SPLIT_ACTIONS = re.compile(r",?\s+and\s+(?:to|will|also)\s+(?=[a-z])", re.IGNORECASE)
# A list of actions written as gerunds: "finishing the module by mid-January, and taking a first pass at ...".
_GERUND = re.compile(r"^(?P<v>[a-z]+ing)\b", re.IGNORECASE)
_SPLIT_GERUNDS = re.compile(r"(?:,\s*(?:and\s+)?|\s+and\s+)(?=[a-z]+ing\b)", re.IGNORECASE)
SUCCESS = re.compile(r"[,;(]?\s*(?:-\s*)?\b(?:success\s*(?:=|:|is|means|looks\s+like|will\s+be)|so\s+that|"
                     r"measured\s+by|"
                     r"target\s*(?:=|:|is)|done\s+when|definition\s+of\s+done\s*(?:=|:|is)|evidenced\s+by)\s*"
                     r"(?P<ind>.+)$", re.IGNORECASE)
# The writer says a commitment has no date: "no date set yet", "no fixed date", "(no date)".
_NO_DATE = re.compile(r"\bno\s+(?:fixed\s+|firm\s+|hard\s+|set\s+|real\s+)?(?:date|deadline)s?\b|\bundated\b",
                      re.IGNORECASE)
_PAREN = re.compile(r"\(([^()]{4,})\)")
# A parenthesis left with nothing but its lead-in once the date in it is taken out: "(aim for )", "(Weds )".
# So is an aside that said when something is ("(next one is apr 9)" leaves "(next one is )").
_EMPTIED_PAREN = re.compile(r"\s*\(\s*(?:(?:aim(?:ing)?|target(?:ing)?)\s+for|by|due|on|before|latest|"
                            r"[^()]{0,30}\b(?:is|are|was|were)(?:\s+on)?)?\s*\)", re.IGNORECASE)
# "by the dec 15 deadline": the word "deadline" goes with its date.
_DEADLINE_NOUN = re.compile(r"^\s+deadline\b", re.IGNORECASE)
# What someone said about the promise, after it: "take the ML course, he say he finish until end of June".
_TRAILING_REPORT = re.compile(r",\s*(?:he|she|they|I)\s+(?:say|says|said)\b[^,;]*$", re.IGNORECASE)


@dataclass
class Participantish:
    """The two fields of a participant this module needs (keeps notes.py free of the pydantic models)."""

    name: str
    role: str


@dataclass
class Sentence:
    """One sentence or fragment of the notes, with where it sits."""

    text: str  # an exact slice of the notes, stripped
    body: str  # the text after bullet, marker and label
    label: str | None = None  # "concern", "aspiration"... from a leading "Concern:" label
    action_context: bool = False  # under an "Actions:"/"Next steps:" header, or on an "AI:"/"TODO:" line
    owner_hint: str | None = None  # the name in "AI Julia:" or "TODO Felix:"
    date_hint: str | None = None  # a leading "EOY:" label
    title: bool = False  # the notes' heading line ("Ryan - EOY career conversation")
    checkin: bool = False  # under a "Next check-in" heading or tagged "[NEXT]": it dates the next meeting
    decoy: bool = False  # labelled as no action ("Parked:", "[IDEA]", "TODO (maybe):")
    speaker: str | None = None  # in a transcript, who says this line ("TD: I'll update the plan")
    rest_of_line: str = ""  # what follows this sentence on its line ("I offered ...; she declined")
    date_order: DateOrder = "MDY"  # how the notes write numeric dates ("24/09" elsewhere makes "06/10" day-first)
    before: str = ""  # the sentence before this one: what "by then" in this one may point back to


@dataclass
class ParsedCommitment:
    """A commitment as found in the notes, before it becomes the public model."""

    owner: str | None
    action: str
    due: date | None
    due_phrase: str | None
    success_indicator: str | None
    evidence: str
    flags: list[str] = field(default_factory=list)


def split_sentences(notes: str) -> list[Sentence]:
    """The notes as sentences, with section and marker context; injected instructions are left out."""
    sentences: list[Sentence] = []
    section = _Section()
    speakers = _speakers(notes)
    table: dict[str, int] | None = None
    first_line = True
    lines = notes.splitlines()
    questions_and_answers = {m.group(0).strip()[0] for line in lines if (m := _QA_LABEL.match(line))} == {"Q", "A"}
    for line in lines:
        stripped = line.strip()
        if not stripped:
            continue
        if _INJECTION.search(stripped):
            continue  # text addressed to a machine is not part of the conversation
        row = _TABLE_ROW.match(line) or _BARE_TABLE_ROW.match(line)
        if row and (row.re is _TABLE_ROW or table or _column_roles(_cells(row)).get("action") is not None):
            table = _table_row(line, _cells(row), table, sentences)
            first_line = False
            continue
        table = None
        if _DONE_ITEM.match(line):
            first_line = False
            continue  # "- [x] shared the rubric", "~~nominate her~~": done or struck out
        bullet = _BULLET.match(line) or (_QA_LABEL.match(line) if questions_and_answers else None)
        content = line[bullet.end():] if bullet else line
        content_start = len(line) - len(content)
        checkin = section.checkin
        if section.header(content.strip(), bool(bullet)):
            first_line = False
            continue
        sentences.extend(_line_sentences(line, content_start, section, speakers, first_line, checkin))
        first_line = False
    order = infer_date_order(notes)
    for index, sentence in enumerate(sentences):
        sentence.date_order = order
        sentence.before = sentences[index - 1].body if index else ""
    return sentences


@dataclass
class _Section:
    """Where a line sits: under an "Actions:" header (until its bullets end), or under a check-in heading."""

    action: bool = False
    checkin: bool = False
    seen_bullet: bool = False
    voice: str | None = None  # whom a "What he told me he'd do:" header names: the "I" of the quotes under it

    def header(self, content: str, bullet: bool) -> bool:
        """Update the section for a line; True when the line is itself a header and says nothing else."""
        heading = _MD_HEADING.match(content)
        header = _HEADER.match(content)
        if heading or header or _BARE_HEADER.match(content):
            name = heading.group("h") if heading else header.group("h") if header else content
            name = name.strip(" *_:")
            self.action = bool(_ACTION_HEADER.match(name))
            # "Next time:", "Next 1:1", "Follow-up date": the heading dates the line under it.
            self.checkin = bool(CHECKIN.search(name) or _NEXT_HEADING.match(name)) and not self.action
            self.seen_bullet = False
            voice = _WHO_HEADER.match(name)
            self.voice = voice.group("name") if voice else None
            return True
        # A check-in heading dates the one line under it ("### Next 1:1" / "In 3 weeks"), and so does a question
        # about when to meet ("Q: When do we check in?" / "A: Tue 15 Sept").
        self.checkin = bool(_CHECKIN_QUESTION.match(content))
        if self.action and bullet:
            self.seen_bullet = True
        elif self.action and self.seen_bullet and not bullet:
            self.action = False
        return False


def _line_sentences(line: str, content_start: int, section: _Section, speakers: set[str],
                    first_line: bool, under_checkin: bool = False) -> list[Sentence]:
    """One line of the notes as sentences, after its bullet, tag, marker, speaker and label."""
    content = line[content_start:]
    body_offset = content_start
    decoy = bool(_CROSSED.search(line[:content_start]))  # "❌ Cannes Lions: no budget"
    checkin = False
    context = section.action
    owner_hint = date_hint = speaker = None
    tag = _TAG.match(content)
    if tag:
        name = tag.group("tag").strip()
        context = context or bool(_ACTION_TAG.match(name))
        checkin = bool(_CHECKIN_TAG.match(name))
        decoy = bool(_DECOY_LABEL.match(name)) or bool(_HEDGE.match(name))
        body_offset += tag.end()
        content = line[body_offset:]
    marker = _MARKER.match(content)
    on_owner = _ON_OWNER.match(content) or _WHO_LABEL.match(content)
    on_owner = None if on_owner and find_due_phrase(on_owner.group(0)) else on_owner  # "on Friday: ..." is a date
    decoy = decoy or bool(on_owner and on_owner.groupdict().get("neg"))
    spoken = _SPEAKER.match(content)
    # A line without "I" or "you" is an owner label even in a dialogue ("PS: draft the plan by Fri").
    spoken = spoken if spoken and spoken.group("speaker") in speakers and \
        _FIRST_SECOND_PERSON.search(content[spoken.end():]) else None
    if marker:
        decoy = decoy or bool(marker.group("qualifier") and _HEDGE.search(marker.group("qualifier")))
        # "ACTION(RB):", "AI (Dana):": a qualifier that is no hedge may name the owner.
        owner_hint = marker.group("name") or (None if decoy else marker.group("qualifier"))
        body_offset += marker.end()
        context = True
    elif on_owner:
        owner_hint = on_owner.group("name")
        body_offset += on_owner.end()
        context = True
    elif spoken:
        speaker = spoken.group("speaker")
        body_offset += spoken.end()
    elif section.voice and (quote := _OPEN_QUOTE.match(content)):
        speaker = section.voice  # under "What he told me he'd do:", '"I'll put together ..."' is his promise
        body_offset += quote.end()
    else:
        date_label = re.match(r"^\s*(?P<d>[^:]{2,20}):\s+", content)
        if date_label and find_due_phrase(date_label.group("d")) and \
                find_due_phrase(date_label.group("d"))[0] == date_label.group("d").strip():
            date_hint = date_label.group("d").strip()
            body_offset += date_label.end()
        decoy_label = re.match(r"^\s*(?P<d>[A-Za-z][\w ’'-]{1,25}?)\s*:\s+", content)
        if decoy_label and _DECOY_LABEL.match(decoy_label.group("d")):
            decoy = True
    label = None
    label_match = _LABEL.match(line[body_offset:])
    if label_match:
        label = label_match.group("label").lower()
        body_offset += label_match.end()
    fields = _fields(line, body_offset)
    if fields:
        end, owner_field, due_field = fields
        body = line[body_offset:end].strip()
        return [Sentence(text=line[content_start:].strip(), body=body, label=label, action_context=True,
                         owner_hint=owner_field or owner_hint, date_hint=due_field or date_hint, decoy=decoy,
                         checkin=checkin or under_checkin, title=first_line and _looks_like_title(line))]
    sentences: list[Sentence] = []
    starts: list[tuple[int, int]] = []  # where each sentence's evidence and body start on the line
    start = body_offset
    pieces = [*_sentence_breaks(line[body_offset:]), None]
    for brk in pieces:
        end = body_offset + brk[0] if brk else len(line)
        chunk = line[start:end]
        if chunk.strip() and sentences and _is_date_tail(chunk.strip()):
            # "... own the roadmap next qtr. by 1/9", "set up a monthly review; first one by 4/10": a fragment
            # that only adds a date belongs to the sentence before it.
            evidence_start, body_start = starts[-1]
            stop = start + len(chunk.rstrip())
            sentences[-1].text = line[evidence_start:stop].strip()
            sentences[-1].body = line[body_start:stop].strip()
            sentences[-1].rest_of_line = line[end:].strip()
        elif chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            text = chunk.strip()
            first = start == body_offset
            evidence_start = content_start if first and (marker or date_hint or on_owner) else start + lead
            evidence = line[evidence_start:start + lead + len(text)].strip()
            sentences.append(Sentence(text=evidence, body=text, label=label if first else None,
                                      action_context=context, owner_hint=owner_hint if first else None,
                                      date_hint=date_hint, title=first_line and _looks_like_title(line),
                                      checkin=checkin or under_checkin, decoy=decoy, speaker=speaker,
                                      rest_of_line=line[end:].strip()))
            starts.append((line.index(evidence, evidence_start), start + lead))
        if brk:
            start = body_offset + brk[1]
    return sentences


def _sentence_breaks(text: str) -> list[tuple[int, int]]:
    """The spans between the sentences of a line: full stops and semicolons, and in a dictated run without any
    punctuation, the start of each new statement ("... by end of next week and she said she'd ...")."""
    breaks: list[tuple[int, int]] = []
    start = 0
    for brk in [*_SENTENCE_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        breaks.extend(_run_on_breaks(text, start, end))
        if brk:
            breaks.append(brk.span())
            start = brk.end()
    return breaks


def _run_on_breaks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where a long chunk with no punctuation at all starts a new statement; none for an ordinary sentence."""
    chunk = text[start:end]
    if len(chunk.split()) < _RUN_ON_MIN_WORDS or re.search(r"[,.;:!?()]", chunk):
        return []
    found = []
    for brk in _RUN_ON_BREAK.finditer(chunk):
        before = chunk[:brk.start()].split()
        if before and before[-1].lower() not in _RUN_ON_KEEP:
            found.append((start + brk.start(), start + brk.end()))
    return found


def _is_date_tail(text: str) -> bool:
    """A fragment that only dates what came before: "by 1/9", "first one by 4/10", "readout in 10 days"."""
    found = find_due_phrase(text)
    if not found or CHECKIN.search(text):
        return False
    rest = (text[:found[1]] + " " + text[found[2]:]).strip(" .;,")
    words = rest.split()
    first = re.split(r"['’]", words[0])[0].lower() if words else ""  # "I'll review it by Monday" has a subject
    return len(words) <= 3 and not (words and (first in _PRONOUNS or _MODAL.match(" " + rest)))


def _fields(line: str, body_offset: int) -> tuple[int, str | None, str | None] | None:
    """(where the action ends, owner, due) for a line that names them in fields after the action; None if none."""
    found = list(_FIELD.finditer(line, body_offset))
    if not found or found[0].start() <= body_offset or not line[body_offset:found[0].start()].strip():
        return None
    owner = due = None
    for match in found:
        value = match.group("value").strip()
        if match.group("key").lower().startswith(("owner", "who", "assignee")):
            owner = owner or value
        elif find_due_phrase(value):
            due = due or value
    return found[0].start(), owner, due


def _cells(row: re.Match[str]) -> list[str]:
    """The cells of a table row, with or without its outer pipes."""
    return [c.strip() for c in row.group("cells").split("|")]


def _column_roles(cells: list[str]) -> dict[str, int]:
    """Which column holds the owner, the action and the due date, from a header row ("OWNER | ACTION | DATE")."""
    return {role: i for i, cell in enumerate(cells) for role, pattern in _COLUMN_ROLES
            if pattern.match(cell.strip(" *_"))}


def _table_row(line: str, cells: list[str], columns: dict[str, int] | None,
               sentences: list[Sentence]) -> dict[str, int] | None:
    """Read one table row: the header row names the columns, each later row is one action."""
    if _TABLE_RULE.match(line):
        return columns
    if columns is None:
        roles = _column_roles(cells)
        return roles if "action" in roles else {}
    if "action" not in columns or columns["action"] >= len(cells) or not cells[columns["action"]]:
        for cell in cells:  # a table that is not an action list: its cells are plain sentences
            if cell:
                sentences.append(Sentence(text=cell, body=cell))
        return columns

    def cell(role: str) -> str | None:
        index = columns.get(role)
        value = cells[index].strip(" *_") if index is not None and index < len(cells) else ""
        return value if value and value.strip("-–—?") and value.lower() not in {"n/a", "tbd", "none"} else None

    due = cell("due")
    sentences.append(Sentence(text=line.strip(), body=cells[columns["action"]], action_context=True,
                              owner_hint=cell("owner"), date_hint=due if due and find_due_phrase(due) else None))
    return columns


def _speakers(notes: str) -> set[str]:
    """The speakers of notes written as a dialogue: labels that start two or more lines, on lines that talk in
    the first and second person ("TD: I'll update your plan"); none when the notes are no dialogue."""
    spoken = [m for line in notes.splitlines() if (m := _SPEAKER.match(line.strip()))]
    counts = Counter(m.group("speaker") for m in spoken)
    spoken = [m for m in spoken if counts[m.group("speaker")] >= 2]
    personal = [m for m in spoken if _FIRST_SECOND_PERSON.search(m.string[m.end():])]
    speakers = {m.group("speaker") for m in spoken}
    return speakers if len(spoken) >= 3 and len(personal) >= 2 and len(speakers) >= 2 else set()


_TITLE_WORDS = re.compile(r"\b(?:career|1[:-]1|one[- ]on[- ]one|check[- ]?in|chk[- ]?in|conversation|convo|chat|"
                          r"catch[- ]?up|sync|session|notes|meeting|growth|review)\b", re.IGNORECASE)


def _looks_like_title(line: str) -> bool:
    """The first line names the meeting ("Ryan - EOY career conversation", "Ana - recap of our career chat
    today."): no sentence, no promise; one full stop may end it."""
    text = line.strip()
    text = text[:-1] if text.endswith(".") and not re.search(r"[.!?;]\s", text) else text
    return (len(text.split()) <= 9 and not text.endswith(".") and bool(_TITLE_WORDS.search(text))
            and not re.search(r"\b(?:will|to|agreed|['’]ll|by|before|due)\b", text, re.IGNORECASE))


_GENDERED = re.compile(r"\b(?:he|she|him|his|her|hers|he['’](?:s|ll|d)|she['’](?:s|ll|d))\b", re.IGNORECASE)
# Short lower-case words that are never initials ("me: send the doc", "hr to confirm", "ops will check").
_NOT_INITIALS = {"me", "we", "he", "she", "it", "us", "to", "so", "ok", "and", "the", "not", "but", "for", "all", "any",
                 "one", "two", "ask", "get", "set", "run", "fix", "own", "buy", "try", "may", "can", "who", "why",
                 "how", "our", "his", "her", "its", "you", "yes", "no", "pm", "am", "hr", "qa", "ux", "ui", "ops",
                 "eng", "mgr", "ai", "ap", "tbd", "eod", "eow", "eom", "eoq", "eoy", "asap", "re", "fyi", "pls", "w"}


# Initials before a label, an arrow, a dash or a modal: "P to talk to Carla", "JW - shadow 3 calls".
_INITIALS = re.compile(r"([A-Z]{1,3}|[a-hj-z]|[a-z]{2,3})"
                       r"(?=\s*(?::|->|\s[-–—]\s|\s+to\s|\s+will\s|['’]ll\s)|$)")
# Capital initials before a lower-case verb: "DR owns the RFC", "V. shares the list".
_INITIALS_VERB = re.compile(r"([A-Z]{2,3}|[A-Z])(?P<dot>\.)?(?=\s+[a-z]{2,}\b|$)")
# A capitalised word that may be a short form of a first name ("Raj", "Kat").
_NAME_WORD = re.compile(r"[A-Z][a-z]{2,}(?![\w’'-])")
# Capitalised words that start many names but are no nicknames: modals, pronouns, verbs, time words.
_NOT_NICKNAMES = {"will", "may", "can", "should", "must", "shall", "would", "could", "the", "and", "but", "not", "she",
                  "her", "his", "him", "they", "them", "you", "your", "our", "all", "any", "per", "via", "next", "last",
                  "new", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "jun", "jul",
                  "aug", "sep", "oct", "nov", "dec", "also", "then", "both", "team", "done", "agreed", "maybe",
                  "note", "notes", "action", "actions", "follow", "good", "great", "thanks", "career"}


# Words of a title line besides the employee's name: "1:1 w/ joe", "notes from sofi's chat", "Dre 1:1 11/17".
_TITLE_NAME_WORD = re.compile(r"(?<![\w:/'’-])[A-Za-z]{2,12}(?![\w:/-])")
_TITLE_FILLERS = {"with", "from", "about", "for", "and", "my", "our", "today", "quick", "first", "mid", "year",
                  "end", "annual", "quarterly", "monthly", "weekly", "planning", "development", "talk", "recap",
                  "summary", "call", "discussion", "ok", "re", "of", "on", "in", "at", "prep", "debrief"}


class OwnerResolver:
    """Maps a subject in the notes to a participant, never to anyone else."""

    def __init__(self, participants: list[Participantish], notes: str = "") -> None:
        self.participants = participants
        # Notes that call the employee "he" or "she" use "they" for someone else ("People Ops ... they'll send it").
        self.they_is_plural = bool(_GENDERED.search(notes))
        self.by_role = {role: [p for p in participants if p.role == role] for role in ("manager", "employee", "other")}
        self.aliases = self._title_alias(notes)

    def match_name(self, text: str) -> tuple[str | None, int]:
        """(participant name, characters used) for a name at the start of text; (None, 0) if none."""
        lowered = text.lower()
        candidates: list[tuple[int, str]] = []
        for p in self.participants:
            full = p.name.lower()
            parts = full.split()
            options = {full, parts[0], " ".join(parts[:-1])}  # "Mei Lin" of "Mei Lin Zhou": a two-word first name
            options |= {alias for alias, name in self.aliases.items() if name == p.name}
            if len(parts) > 1 and sum(q.name.lower().split()[-1] == parts[-1] for q in self.participants) == 1:
                options.add(parts[-1])
            for option in options:
                if re.match(rf"{re.escape(option)}(?![\w])", lowered):
                    candidates.append((len(option), p.name))
        if not candidates:
            nickname = self._nickname(text)
            if nickname:
                return nickname
        initial = _INITIALS.match(text) or self._initials_before_verb(text)
        if not candidates and initial and initial.group(1) not in _NOT_INITIALS:
            # "P to talk to Carla", "JW - shadow 3 calls", "j will finish the course", "jr to run standups":
            # initials stand for the one participant whose first name (or first and last name) they spell;
            # lower-case ones of two or three letters must spell all of the name's initials.
            letters = initial.group(1).upper()
            exact = initial.group(1).islower() and len(letters) > 1
            matches = [p.name for p in self.participants
                       if (initials := "".join(part[0] for part in p.name.split()).upper()).startswith(letters)
                       and (len(letters) > 1 or p.name[:1].upper() == letters) and (not exact or initials == letters)]
            return (matches[0], initial.end()) if len(matches) == 1 else (None, 0)
        if not candidates:
            return None, 0
        longest = max(length for length, _ in candidates)
        names = {name for length, name in candidates if length == longest}
        return (names.pop(), longest) if len(names) == 1 else (None, longest)

    def _title_alias(self, notes: str) -> dict[str, str]:
        """{nickname: employee} for the one name a 1:1's title line calls its one employee ("Dre 1:1 11/17",
        "jay - career"): a word that is no title word, no date and no one else's name, and that shares its first
        letter with the employee's first name or is part of it; empty when the title names no such word."""
        lines = [line for line in notes.splitlines() if line.strip()]
        employees = self.by_role["employee"]
        if not lines or len(employees) != 1 or not _looks_like_title(lines[0]):
            return {}
        first = employees[0].name.split()[0].lower()
        words = [w for w in _TITLE_NAME_WORD.findall(_TITLE_WORDS.sub(" ", lines[0])) if not self._known_word(w)]
        if len(words) != 1:
            return {}
        word = words[0].lower()
        return {word: employees[0].name} if word[0] == first[0] or word in first else {}

    def _known_word(self, word: str) -> bool:
        """A word of a title line that is no nickname: a participant's name, an acronym, a common or date word."""
        lowered = word.lower()
        return (word.isupper() or lowered in _NOT_NICKNAMES | _ACTION_VERBS | _NOT_A_PERSON | _NOT_INITIALS
                or lowered in _PRONOUNS or lowered in _TITLE_FILLERS or bool(find_due_phrase(word))
                or any(lowered in p.name.lower().split() for p in self.participants))

    def _nickname(self, text: str) -> tuple[str, int] | None:
        """A short form of one participant's first name ("Raj" for Rajesh, "Alex" for Alexandra): a capitalised
        word of three letters or more that begins exactly one participant's first name; None otherwise."""
        word = _NAME_WORD.match(text)
        if not word or word.group(0).lower() in _NOT_NICKNAMES | _ACTION_VERBS | _NOT_A_PERSON | set(_PRONOUNS):
            return None
        short = word.group(0).lower()
        matches = [p.name for p in self.participants
                   if p.name.split()[0].lower().startswith(short) and p.name.split()[0].lower() != short]
        return (matches[0], word.end()) if len(matches) == 1 else None

    def _initials_before_verb(self, text: str) -> re.Match[str] | None:
        """Capital initials before a verb ("DR owns the RFC", "V. shares the list"): all of one participant's
        initials, or one initial with its full stop; None when they spell no one's."""
        found = _INITIALS_VERB.match(text)
        if not found:
            return None
        letters = found.group(1)
        spelled = ["".join(part[0] for part in p.name.split()).upper() for p in self.participants]
        if len(letters) == 1:
            return found if found.group("dot") else None  # "V. shares", never "A lot"
        if not found.group("dot") and spelled.count(letters) == 1:
            return found
        return None

    def addressee(self, speaker: str) -> str | None:
        """Whom a speaker in a transcript says "you" to: the manager's one employee, or the employee's one manager."""
        name = self.match_name(speaker)[0]
        role = next((p.role for p in self.participants if p.name == name), None)
        other = {"manager": "employee", "employee": "manager"}.get(role or "")
        people = self.by_role.get(other or "", [])
        return people[0].name if len(people) == 1 else None

    def resolve(self, subject: str) -> tuple[str | None, list[str]]:
        """(owner, flags) for a subject: a participant name, a pronoun, "we", or someone else."""
        word = subject.strip().lower()
        if re.search(r"\band\b|&|\+", word):
            return None, ["owner unclear", "shared owner"]
        if word in _PRONOUNS:
            role = _PRONOUNS[word]
            if word in ("they", "them") and self.they_is_plural:
                return None, ["owner unclear"]
            if role == "shared":
                return None, ["owner unclear", "shared owner"]
            people = self.by_role.get(role, [])
            return (people[0].name, []) if len(people) == 1 else (None, ["owner unclear"])
        name, used = self.match_name(subject)
        if name and used >= len(word):
            return name, []
        if used:
            return None, ["owner unclear"]
        return None, ["owner unclear", f"named owner is not a participant: {subject.strip()}"]


# Both people in the meeting as the subject: "The two of us will present it", "both of us to review": "we".
_JOINT_SUBJECT = re.compile(r"^(?:the\s+(?:two|2)\s+of\s+us|both\s+of\s+us|us\s+both|you\s+and\s+I)\b",
                            re.IGNORECASE)


def _subject(body: str, owners: OwnerResolver) -> tuple[str | None, int]:
    """The subject at the start of a clause and its length: a participant, a pronoun, "X and I", or a name; the
    two people of the meeting together ("the two of us") are "we"."""
    joint = _JOINT_SUBJECT.match(body)
    if joint:
        return "we", joint.end()
    name, used = owners.match_name(body)
    if used:
        rest = body[used:]
        pair = re.match(r"\s+(?:and|&|\+)\s+(?:I|me|[A-Z][\w’'-]*)\b", rest)
        return body[:used + (pair.end() if pair else 0)], used + (pair.end() if pair else 0)
    word = _SUBJECT_WORD.match(body)
    if not word:
        return None, 0
    token = word.group("w")
    if token.lower() in _PRONOUNS:
        return token, len(token)
    pair = re.match(r"^[A-Z][\w’'-]*\s+(?:and|&)\s+(?:I|me)\b", body)
    if pair:
        return pair.group(0), pair.end()
    pair = re.match(r"^(?P<a>[A-Z][\w’'-]*)\s+(?:and|&|\+)\s+(?P<b>[A-Z][\w’'-]*)\b", body)
    if pair and owners.match_name(pair.group("a"))[0] and owners.match_name(pair.group("b"))[0]:
        return pair.group(0), pair.end()  # "FL & HY - walk through the draft": both own it
    return token, len(token)


def parse_commitments(sentence: Sentence, owners: OwnerResolver, meeting_date: date,
                      next_check_in: date | None) -> list[ParsedCommitment]:
    """The commitments one sentence states (none for background, aspirations or check-in plans)."""
    results: list[ParsedCommitment] = []
    body = sentence.body
    for inner in _PAREN.finditer(body):
        nested = Sentence(text=inner.group(1).strip(), body=inner.group(1).strip(), action_context=False,
                          date_order=sentence.date_order)
        found = parse_commitments(nested, owners, meeting_date, next_check_in)
        if found:
            results.extend(found)
            body = body.replace(inner.group(0), " ")
    clause = body.strip()
    if not owners.match_name(clause)[1]:  # "SO -> get MP access": initials that spell a filler word stay
        clause = _FILLER.sub("", clause)
    clause = _LEAD_ADVERBIAL.sub("", clause)  # "To that end she is going to take on ..."
    marker = _MARKER.match(clause)
    if marker and not sentence.owner_hint:  # "... for now. TODO: me - send the doc"
        sentence = Sentence(text=sentence.text, body=clause[marker.end():], action_context=True,
                            owner_hint=marker.group("name"), date_hint=sentence.date_hint,
                            decoy=bool(marker.group("qualifier") and _HEDGE.search(marker.group("qualifier"))),
                            date_order=sentence.date_order)
        clause = sentence.body
    if sentence.title or sentence.decoy or sentence.checkin:
        return results
    clause = _after_lead_in(clause, owners)
    if sentence.speaker and _SPOKEN_PROMISE.match(clause):
        clause = "I " + clause  # "B: Will write a one-pager by Wed": the speaker is the subject
    agreed = _AGREED.match(clause)
    if agreed:
        clause = clause[agreed.end():]
    reported = _REPORTED.match(clause)
    if reported:  # "I said I'd check whether ..." reports a promise: the speaker owns it
        clause = (reported.group("who") or reported.group("then")) + " will " + clause[reported.end():]
        agreed = agreed or reported
    quoted = _QUOTED_REPORT.match(clause)
    if quoted:  # 'she said "i'll put in the swap request" once ...': the one who said it owns it
        clause = quoted.group("who") + " will " + _CLOSING_QUOTE.sub("", clause[quoted.end():], count=1)
    handed = _OVER_TO.match(clause)
    if handed:  # "over to Samuel to draft the plan": the one it is handed to owns it
        clause = clause[handed.end():]
    context = sentence.action_context or bool(agreed) or bool(handed)
    chain = _arrow_owner(clause, owners)
    if chain:
        owner_text, action = chain
        owner, flags = owners.resolve(owner_text)
        return [*results, _commitment(action, owner, flags, sentence, meeting_date, next_check_in)]
    previous: str | None = None  # the participant named as subject of the clause before
    for index, part_clause in enumerate(split_clauses(clause, owners)):
        reported = _REPORTED.match(part_clause) if index else None
        if reported:  # "..., and I said I would square that with Dominic"
            part_clause = (reported.group("who") or reported.group("then")) + " will " + part_clause[reported.end():]
        current = sentence if index == 0 else Sentence(text=sentence.text, body=part_clause,
                                                       action_context=sentence.action_context)
        owner_text, action = _owner_and_action(part_clause, current, owners, context, agreed=bool(agreed))
        if sentence.speaker and owner_text and owner_text.lower() in ("i", "me"):
            owner_text = sentence.speaker  # "TD: I'll update your plan": the speaker is "I"
        elif sentence.speaker and owner_text and owner_text.lower() == "you":
            owner_text = owners.addressee(sentence.speaker) or owner_text  # "PS: you'll send me the deck"
        named = owners.match_name(owner_text)[0] if owner_text else None
        if action is None or not action.strip(" ,.;:-–—"):
            previous = named or previous
            continue
        if _OFFER.search(part_clause[:len(part_clause) - len(action)] or "") and \
                (_DECLINED.search(clause) or _DECLINED.search(sentence.rest_of_line)):
            continue  # "I offered to put her forward; she declined": an offer turned down is no commitment
        if owner_text is None:
            owner, flags = None, ["owner unclear"]
        elif previous and owner_text.lower() in ("he", "she", "they"):
            # "Nora offered to set it up - she'll launch it by 3/24": the pronoun continues the named subject.
            owner, flags = previous, []
        else:
            owner, flags = owners.resolve(owner_text)
        previous = named or previous
        if _CHECKIN_ACTION.match(action) or re.match(rf"^(?:the\s+|our\s+)?next\s+{_CHECKIN_WORDS}\b", action, re.I):
            continue
        if owner_text and owner_text.lower() == "we" and re.match(_MEET_AGAIN, action, re.IGNORECASE):
            continue  # "We'll meet first week back": the check-in, not an action
        if _HEDGE.search(action) or _HEDGE.search(part_clause[:len(part_clause) - len(action)] or "") or \
                _WAITING.match(action):
            continue
        for part in _split_actions(action):
            found = _commitment(part, owner, list(flags), sentence, meeting_date, next_check_in)
            if found.action:  # "next: end of month" leaves nothing once the date is taken out
                results.append(found)
    return results


def _split_actions(action: str) -> list[str]:
    """The actions in one promise: "X, and to Y" splits; a list of gerunds splits at each one, in the base form.
    A lone verb stays with what follows it: "check and will let her know by Friday" is one promise."""
    if not _GERUND.match(action) or _base_of_gerund(_GERUND.match(action).group("v")) is None:
        parts: list[str] = []
        for part in _SPLIT_ACTIONS.split(action):
            if parts and len(parts[-1].split()) == 1:
                parts[-1] = f"{parts[-1]} and {part}"
            else:
                parts.append(part)
        return parts
    parts = []
    for part in _SPLIT_GERUNDS.split(action):
        gerund = _GERUND.match(part)
        base = _base_of_gerund(gerund.group("v")) if gerund else None
        parts.append(base + part[gerund.end():] if base else part)
    return parts


def _base_of_gerund(word: str) -> str | None:
    """"finishing" -> "finish", "taking" -> "take", "putting" -> "put"; None when no known action verb fits."""
    stem = word.lower()[:-3]
    for candidate in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else ""):
        if candidate in _ACTION_VERBS:
            return candidate
    return None


def _after_lead_in(clause: str, owners: OwnerResolver) -> str:
    """The promise after a lead-in ("The one concrete thing: I'll look into ..."); the clause when there is none."""
    lead = _LEAD_IN.match(clause)
    if not lead or owners.match_name(lead.group("lead"))[1] or lead.group("lead").lower() in _PRONOUNS:
        return clause
    rest = clause[lead.end():]
    owner_text, action = _owner_and_action(rest, Sentence(text=rest, body=rest), owners, context=False)
    return rest if owner_text and action else clause


def _arrow_owner(clause: str, owners: OwnerResolver) -> tuple[str, str] | None:
    """(owner, action) for a chain that ends in its owner ("... -> RFC for the event bus -> Lena, by Fri")."""
    chain = _ARROW_OWNER.search(clause)
    if not chain:
        return None
    who = chain.group("who").strip()
    name, used = owners.match_name(who)
    if not (name and used >= len(who)) and who.lower() not in ("me", "i"):
        return None
    return who, f"{chain.group('action')} {chain.group('due') or ''}".strip()


_CLAUSE_MODAL = (r"(?:['’](?:ll|d)\b|\s+(?:will|to|is going to|are going to|agreed to|offered to|promised to|"
                 r"needs? to|has to|should|can)\b|\s*(?::|->|→))")
# "..., and I said I would square that with Dominic": a reported promise starts a clause of its own.
_CLAUSE_REPORT = r"\s+(?:said|promised|offered)\s+(?:that\s+)?(?:I|he|she|they|you)(?:['’]d|\s+would)\b"
_CLAUSE_SEPARATOR = (r"(?:\s*[,;]\s*(?:and\s+|then\s+|but\s+|plus\s+|so\s+)?|\s+(?:and|then|but|plus|&)\s+|"
                     r"\s+[-–—]+\s+|\s*(?:->|=>|→)\s*)")


def split_clauses(clause: str, owners: OwnerResolver) -> list[str]:
    """A sentence that holds several promises ("I'll open the req Friday and she'll write the JD by 8/8"), split
    where a new subject with a modal starts; a clause without its own subject stays with the one before."""
    names = sorted({n for p in owners.participants for n in (p.name, p.name.split()[0])}, key=len, reverse=True)
    subjects = "|".join([r"i", r"he", r"she", r"they", r"you", r"me", *(re.escape(n) for n in names)])
    pattern = re.compile(rf"{_CLAUSE_SEPARATOR}(?=(?:{subjects}){_CLAUSE_MODAL}|(?:{subjects}){_CLAUSE_REPORT})|"
                         rf"\s+so\s+(?=(?:{subjects})"
                         rf"(?:['’]ll|\s+will|(?:['’]m|\s+am|\s+is|\s+are)\s+going\s+to)\b)",
                         re.IGNORECASE)
    promise = re.compile(rf"(?:^|\s)(?:{subjects}){_CLAUSE_MODAL}", re.IGNORECASE)
    parts, start = [], 0
    for match in pattern.finditer(clause):
        if match.group(0).strip().lower() == "so" and promise.search(clause[start:match.start()]):
            # "Nominations close 11 Sept so I'll submit it by the 10th": after a reason, "so" starts the promise;
            # after a promise ("I'll talk to her manager so she'll have context") it starts its purpose.
            continue
        if match.start() > start:
            parts.append(clause[start:match.start()])
            start = match.end()
    parts.append(clause[start:])
    return [p for p in parts if p.strip()]


# A task said in the passive, with no one named: "A territory plan needs to be drafted by Aug 29".
_PASSIVE = re.compile(r"^(?P<thing>(?:an?|the)\s+[^,;:]{3,80}?)\s+(?:needs?\s+to|has\s+to|have\s+to|must|should|"
                      r"will\s+need\s+to|is\s+to)\s+be\s+(?P<verb>[a-z]+)\b(?P<rest>.*)$", re.IGNORECASE)
# Past participles that do not end in -ed.
_IRREGULAR_PARTICIPLES = {"written": "write", "done": "do", "sent": "send", "set": "set", "built": "build",
                          "taken": "take", "given": "give", "made": "make", "run": "run", "put": "put",
                          "read": "read", "found": "find", "led": "lead", "held": "hold"}


def _passive_action(clause: str) -> str | None:
    """The action of a task said in the passive ("A plan needs to be drafted by Friday" -> "draft a plan by
    Friday"); None when the clause is no such task or its verb is no known action."""
    passive = _PASSIVE.match(clause)
    if not passive:
        return None
    word = passive.group("verb").lower()
    base = _IRREGULAR_PARTICIPLES.get(word)
    if base is None and word.endswith("ed"):
        stem = word[:-2]
        base = next((c for c in (stem, stem + "e", stem[:-1] if len(stem) > 2 and stem[-1] == stem[-2] else "",
                                 stem[:-1] + "y" if stem.endswith("i") else "") if c in _ACTION_VERBS), None)
    if base is None or base not in _ACTION_VERBS:
        return None
    thing = passive.group("thing")
    return f"{base} {thing[:1].lower()}{thing[1:]}{passive.group('rest')}"


def _owner_and_action(clause: str, sentence: Sentence, owners: OwnerResolver,
                      context: bool, agreed: bool = False) -> tuple[str | None, str | None]:
    """(subject text, action text) when the clause is a commitment; (None, None) when it is not."""
    if sentence.owner_hint:
        _, used = owners.match_name(sentence.owner_hint)
        if used or sentence.owner_hint.lower() in _PRONOUNS:
            return sentence.owner_hint, clause
    subjectless = _SUBJECTLESS.match(clause)
    if subjectless:
        return None, clause[subjectless.end():]
    passive = _passive_action(clause)
    if passive:
        return None, passive
    subject, used = _subject(clause, owners)
    if subject:
        rest = clause[used:]
        known = owners.match_name(subject)[1] > 0 or subject.lower() in _PRONOUNS or bool(_PAIR.search(subject))
        apposition = _APPOSITION.match(rest)
        if apposition and _MODAL.match(rest[apposition.end():]):
            rest = rest[apposition.end():]  # "Tom from the PMO is going to ...", "Dana (enablement) to ..."
        # "we agreed he'd lead", "agreed that Omar would run the retro"
        modal = _MODAL.match(rest) or (re.match(r"^(?:\s*['’]d|\s+would)\s+", rest) if agreed else None)
        if modal and (known or (_STRONG_MODAL.match(rest) and subject[0].isupper()
                                and subject.lower() not in _NOT_A_PERSON)):
            return subject, rest[modal.end():]
        colon = _COLON.match(rest)
        if colon and known and subject.lower() not in ("he", "she", "they", "we"):  # "me:", "her:", "Ben:"
            action = rest[colon.end():]
            quoted = _QUOTED_PROMISE.match(action)
            if quoted:  # 'Ana: "I'll book the exam by Friday."': the one quoted is "I"
                return subject, re.sub(r"[\"”]\s*$", "", action[quoted.end():])
            first_word = action.split()[0].lower() if action.split() else ""
            if context or first_word in _ACTION_VERBS or (find_due_phrase(action) and not _CUE_START.match(action)):
                return subject, action
            return None, None
        verb = re.match(r"^\s+(?P<v>[a-z]+s)\b", rest)
        due_phrase = find_due_phrase(rest)
        deadline = bool(due_phrase and re.match(r"(?:by|before|due|until|till|no later than|within|in\s+\d|in\s+(?:a|one|"
                                                r"two|three|four|five|six)\s)", due_phrase[0], re.IGNORECASE))
        deadline = deadline or bool(sentence.date_hint)  # "Thu 24/09: V. shares the list": a dated plan
        owns = _OWNS.match(rest)
        if owns and known and (re.match(r"^[a-z]+ing\b", owns.group("what")) or deadline):
            return subject, "own " + owns.group("what")  # "she owns the svc now" (no gerund, no deadline) is background
        planned = verb and (verb.group("v") not in _NOT_ACTIONS or _GETS_DONE.match(rest))
        # "ana places the order mon 3/30" is a plan; "she starts leave 3 March" an event
        dated = bool(verb and due_phrase and _EXPLICIT_DATE.search(due_phrase[0])) and \
            verb.group("v") not in _EVENT_VERBS
        if planned and known and (context or deadline or dated or _STARTS.search(rest)):
            # "noah drafts a proposal by 8/14": a present-tense plan with a date is a commitment.
            return subject, _base_form(verb.group("v")) + rest[verb.end():]
        bare = re.match(r"^\s+(?P<v>[a-z]+)\b", rest)
        if bare and known and (context or sentence.date_hint) and bare.group("v") in _ACTION_VERBS:
            return subject, rest.lstrip()
        unknown_to = re.match(r"^\s+to\s+(?P<v>[a-z]+)\b", rest)
        # "Wants to make sure ..." leaves out its subject: a verb is no one's name.
        if unknown_to and not known and subject[:1].isupper() and subject.lower() not in _NOT_A_PERSON \
                and unknown_to.group("v") in _ACTION_VERBS and not _CUE_START.match(subject) \
                and subject.lower() not in _NOT_ACTIONS:
            return subject, rest[unknown_to.end() - len(unknown_to.group("v")):]
        if known:
            return None, None
    # A bare imperative under "Actions:" is an action nobody owns yet.
    if context and not _CUE_START.match(clause) and not CHECKIN.search(clause) and re.match(r"^[a-z]", clause, re.I) \
            and not _NOT_IMPERATIVE.match(clause) and not _reports_someone(clause):
        return None, clause
    return None, None


# Present tenses that date an event in someone's life, not a plan they carry out: "She starts leave 3 March".
_EVENT_VERBS = {"starts", "begins", "returns", "leaves", "ends", "goes", "comes", "arrives", "retires", "turns",
                "moves", "relocates"}
# "Hartmann gets his IOSH certificate done by end of Nov": "gets" describes, unless something gets done.
_GETS_DONE = re.compile(r"^\s+gets\s+[^,;.]{1,60}?\b(?:done|finished|completed|sorted|submitted|booked|signed\s+off)\b",
                        re.IGNORECASE)
# A start in the future makes a present tense a plan: "Tom takes over the revision club from Sept".
_STARTS = re.compile(r"\b(?:from|starting(?:\s+(?:in|on|from))?|as\s+of|beginning(?:\s+(?:in|on))?)\s+(?:next\s+\w+|"
                     r"now\s+on|tomorrow|(?:mon|tues|wednes|thurs|fri)day|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|"
                     r"nov|dec)[a-z]*\.?)(?![\w-])", re.IGNORECASE)


def _base_form(verb: str) -> str:
    if re.search(r"(?:sh|ch|x|ss|z)es$", verb):
        return verb[:-2]
    return verb[:-1]


# A deadline that points back to a date said just before: "applications close Sept 4 and I'll submit it by then",
# "Sam places the order Mon 3/30, I'll check it before it goes out".
_BY_THEN = re.compile(r"\s*\b(?:(?P<then>(?:by|before|until|till)\s+then)\b|"
                      r"before\s+(?:it|that|they)\s+(?:goes|go|is|are|gets|get|happens)\b)", re.IGNORECASE)


def _date_before_then(sentence: Sentence) -> str | None:
    """The last date phrase said before a "by then" in this sentence or the one before it; None if none.
    "before it goes out" points back only within its own sentence: a sentence later it has no date."""
    then = _BY_THEN.search(sentence.body)
    text = sentence.body[:then.start() if then else len(sentence.body)]
    if then and then.group("then"):
        text = f"{sentence.before} {text}"
    last = None
    while found := find_due_phrase(text):
        last, text = found[0], text[found[2]:]
    return last


def _commitment(action: str, owner: str | None, flags: list[str], sentence: Sentence, meeting_date: date,
                next_check_in: date | None) -> ParsedCommitment:
    indicator = None
    success = SUCCESS.search(action)
    if success:
        indicator = success.group("ind").strip(" .;,)")
        action = action[:success.start()]
    found = find_due_phrase(action) or (find_due_phrase(sentence.date_hint) if sentence.date_hint else None)
    if _NO_DATE.search(action):
        found = None  # "lead the workshop in Dec, no date set yet": the writer says there is no date
    phrase = None
    if found:
        phrase, start, end = found
        if find_due_phrase(action) == found and not re.match(r"['’]s\b", action[end:]):
            end += noun.end() if (noun := _DEADLINE_NOUN.match(action[end:])) else 0
            action = action[:start] + " " + action[end:]  # "pitch at Monday's WIP" keeps its event
    elif indicator and (in_indicator := find_due_phrase(indicator)):
        phrase = in_indicator[0]
    elif (then := _BY_THEN.search(action)) and (phrase := _date_before_then(sentence)):
        if then.group("then"):  # "submit it by then": the date it points back to replaces the words
            action = action[:then.start()] + " " + action[then.end():]
    due = None
    if phrase:
        due = resolve_due_date(phrase, meeting_date, next_check_in=next_check_in, date_order=sentence.date_order)
        if is_asap(phrase):
            flags.append("due ASAP (no date)")
        elif due is None:
            flags.append("due date unresolved")
    else:
        flags.append("no due date")
    action = _EMPTIED_PAREN.sub("", action)  # "(aim for end of month)" once its date is taken out
    action = _TRAILING_REPORT.sub("", action)  # "take the course, he say he finish until end of June"
    action = re.sub(r"\s+", " ", action)
    if action.count('"') % 2 or action.count("“") != action.count("”"):
        action = action.strip(' "“”.')  # the closing quote of a quoted promise: 'put together a menu proposal."'
    action = re.sub(r"\s+([,.;:])", r"\1", action).strip(" ,.;:-–—")
    action = re.sub(r"[,;]\s*(?:so|and|then|but)$", "", action).strip(" ,.;:-–—")  # "..., so by Fri 28 Feb"
    action = re.sub(r"\s*[-–—,]\s*(?:owner\s+)?tbd$", "", action, flags=re.IGNORECASE).strip(" ,.;:-–—")
    action = action[:1].upper() + action[1:]
    return ParsedCommitment(owner=owner, action=action, due=due, due_phrase=phrase, success_indicator=indicator,
                            evidence=sentence.text, flags=flags)


_EXPLICIT_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|"
                            r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?!\d)|"
                            r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
                            r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
                            re.IGNORECASE)


def find_next_check_in(sentences: list[Sentence], meeting_date: date) -> date | None:
    """The first date after the meeting that a "next check-in ..." sentence names."""
    for sentence in sentences:
        if not (sentence.checkin or CHECKIN.search(sentence.body)):
            continue
        text = _CHECKIN_DUE.sub(" ", sentence.body)
        keyword = CHECKIN.search(text)
        # "06/10: our next 1:1": a date label dates the check-in the line names.
        for candidate in (text[keyword.end():] if keyword else text, text, sentence.date_hint or ""):
            explicit = _EXPLICIT_DATE.search(candidate)
            # "next 1:1 thu 9/25": the calendar date is what the writer checked; the weekday only decorates it.
            found = find_due_phrase(candidate[explicit.start():]) if explicit else None
            found = found or find_due_phrase(candidate)
            if found and not _CHECKIN_DUE.fullmatch(found[0]):
                when = resolve_due_date(found[0], meeting_date, date_order=sentence.date_order)
                if when is not None and when > meeting_date:
                    return when
    return None


__all__ = ["CHECKIN", "SUCCESS", "OwnerResolver", "ParsedCommitment", "Participantish", "Sentence",
           "find_next_check_in", "parse_commitments", "split_sentences"]
