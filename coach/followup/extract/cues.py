"""Patterns more than one stage needs: check-in words, modals, hedges, markers, success indicators."""

from __future__ import annotations

import re

from coach.followup.extract.vocabulary import alternation

_ACTION_TAG = re.compile(rf"^{alternation('action_tags')}$", re.IGNORECASE)


_CHECKIN_TAG = re.compile(r"^(?:next|next\s+(?:1:1|meeting|check[- ]?in|chat|sync)|check[- ]?in|follow[- ]?up\s+date)$",
                          re.IGNORECASE)


# Labels that say a line is explicitly not an action: ideas, parked items, things done or declined.
_DECOY_LABEL = re.compile(rf"^{alternation('decoy_labels')}$", re.IGNORECASE)


_MARKER = re.compile(r"^(?:ai|a/i|ap|action(?:\s+(?:items?|points?))?|actions|todo|to-?do|next\s+steps?|plan|"
                     r"the\s+plan|(?:we\s+)?(?:also\s+)?agreed|decided)\b(?:\s*\((?P<qualifier>[^)]{1,30})\))?"
                     r"(?:\s+(?P<name>[^\s:,()]+))?\s*[:\-–—]\s*", re.IGNORECASE)


_FILLER = re.compile(r"^(?:(?:also|and|then|plus|finally|additionally|so|ok|okay|next)\b[,:]?\s+)+", re.IGNORECASE)


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


_CUE_START = re.compile(r"^(?:wants?|wanted|would like|interested|aspires?|hopes?|felt|feels|enjoyed|proud|learned|"
                        r"worried|concerned|unsure|frustrated|long[- ]term|goal|is|was|has|had)\b", re.IGNORECASE)


_CHECKIN_WORDS = alternation("checkin_words")


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
                     rf"^[*_]{{0,2}}(?:follow[- ]?up|f/u\b|check[- ]?in|catch[- ]?up|reconvene|regroup|"
                     rf"(?:next|nxt)(?:\s+time)?\s*[*_]{{0,2}}\s*:)",
                     re.IGNORECASE)


_CHECKIN_DUE = re.compile(rf"(?:by|before|at|until|till|ahead\s+of|prior\s+to)\s+(?:the\s+|our\s+)?(?:next|nxt)\s+"
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


SUCCESS = re.compile(r"[,;(]?\s*(?:-\s*)?\b(?:success\s*(?:=|:|is|means|looks\s+like|will\s+be)|so\s+that|"
                     r"measured\s+by|"
                     r"target\s*(?:=|:|is)|done\s+when|definition\s+of\s+done\s*(?:=|:|is)|evidenced\s+by)\s*"
                     r"(?P<ind>.+)$", re.IGNORECASE)


_EXPLICIT_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|"
                            r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?!\d)|"
                            r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?"
                            r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b",
                            re.IGNORECASE)
