"""Refuse inputs that hold child-level (personal) data, before any of it can reach a document.

selfeval works from aggregate figures only: percentages, rates and counts for the whole service.
Every text that can flow into a document -- every cell of every sheet of the performance workbook
and of the plan tracker, every value in a findings file -- is screened here by two kinds of rule:

* **identifiers in the text**: NHS numbers (10 digits, whole or spaced 3-3-4, that pass the
  modulus-11 check), National Insurance numbers, unique pupil numbers (UPNs: a letter and 12
  characters), UK postcodes, and dates of birth (a date next to "born", "DOB", "d.o.b." or
  "date of birth");
* **headings that name a personal identifier** (a child's name, date of birth, child or pupil id,
  NHS or NI number, address, placement address, ...): a cell whose *whole* text, after lower-casing
  and dropping punctuation, is such a heading, on any sheet and any row. A sentence that mentions
  dates of birth does not match, and nor does the Indicators sheet's plain "Name" column.

A hit is reported at its file and ``Sheet!Cell`` (or line) with the rule that matched, and the
identifier itself is never repeated in the message (it would land in a terminal log or a batch
summary). What this cannot see: a child's name written in running text ("Jayden Smith") -- names
are not a pattern -- so the README asks users to keep case detail out of every input.
"""

from __future__ import annotations

import importlib
import itertools
import re
import warnings
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

from selfeval.errors import ErrorList, InputError, Location, SelfevalError

MAX_PROBLEMS = 20
_MAX_HEADING_CHARS = 60

# -- headings --------------------------------------------------------------------------------------

# Phrases after normalisation (see _normalise). Bare "name" is not here: it is the indicator's name.
_PERSON = (
    r"(?:child|childs|children|young person|young persons|yp|person|persons|pupil|pupils|student|students|client|clients|"
    r"service user|care leaver|care leavers|carer|carers|foster carer|parent|parents|mother|father|family|families|"
    r"adopter|guardian|sibling|baby|infant|learner)"
)
_PHRASES = [
    rf"{_PERSON} (?:full )?names?|(?:full )?names? of (?:the )?{_PERSON}|names? {_PERSON}",
    r"(?:first|given|middle|last|family|full|fore|sur|christian|legal|birth) ?names?",
    r"forenames?|surnames?|maiden name|preferred name|known as|aka|alias",
    # A singular person noun alone heads a column of people ("Child", "Young person", "Name (child)").
    r"child|young person|pupil|service user|care leaver|client|learner|yp",
    rf"(?:{_PERSON} )?(?:dob|d o b|date of birth|birth date|birthdate|birthday|date born|dates? of birth|born|birth)",
    rf"(?:{_PERSON} )?(?:dob|date of birth) dd mm yyyy|age at referral in years and months|age in years and months",
    rf"{_PERSON} (?:id|ids|identifier|ref|reference|number|no|code|record|record number)",
    r"(?:lcs|mosaic|liquidlogic|eclipse|carefirst|paris|azeus|frameworki|case|case file|person|client|ccn|cid) (?:id|ref|reference|number|no)",
    r"unique pupil number|upn|former upn|uln|unique learner number|upin|pupil number",
    r"nhs (?:number|no|num|id)|chi number|chi no",
    r"ni (?:number|no)|nino|national insurance(?: number| no)?",
    rf"(?:{_PERSON} |home |home address |current |previous |placement |carer |carers |school |last known |family )?"
    r"(?:post ?code|postal code|address(?: line [1-5])?|addresses|street|house number|house name|home address)",
    r"placement (?:address|location|postcode|provider address)",
    rf"(?:{_PERSON} |home |mobile |contact )?(?:telephone|phone|mobile)(?: number| no)?|(?:{_PERSON} )?email(?: address)?",
]
_PERSONAL_PATTERN = r"^(?:" + "|".join(f"(?:{p})" for p in _PHRASES) + r")$"


# The pattern takes a finite set of headings (some two thousand: no phrase repeats without bound),
# so a heading is looked up in that set rather than matched. Compiling the pattern was ~10-20 ms of
# every run that reads a workbook; the set is spelled out once per version of this module and kept
# in the user's cache folder (selfeval.kept_data), and a lookup is exact: a form holds only [a-z0-9 ]
# (see _normalise), so the pattern's '$' can never match before a final newline instead of at the end.
@cache
def _personal_heading() -> Callable[[str], object]:
    from selfeval.cache_folder import module_source
    from selfeval.kept_data import kept

    try:
        headings = kept("personal headings", module_source(__file__), _personal_headings)
    except _NotFinite:  # a Python whose regex parser reads the pattern otherwise: match it as written
        return re.compile(_PERSONAL_PATTERN).match
    return headings.__contains__


def _personal_headings() -> frozenset[str]:
    """Every text _PERSONAL_PATTERN matches, read off the pattern by Python's own regex parser."""
    parser = importlib.import_module("re._parser")
    constants = importlib.import_module("re._constants")
    tree = parser.parse(_PERSONAL_PATTERN)
    items = list(tree)
    if tree.state.flags & (re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE) or len(items) < 2:
        raise _NotFinite("flags")
    if items[0] != (constants.AT, constants.AT_BEGINNING) or items[-1] != (constants.AT, constants.AT_END):
        raise _NotFinite("not anchored")
    return frozenset(_spelled(items[1:-1], constants))


class _NotFinite(ValueError):
    """The pattern holds something _spelled does not spell out (it never does, on the Pythons selfeval supports)."""


def _spelled(items: Sequence[tuple[Any, Any]], c: Any) -> list[str]:
    """Every text the parsed (sub)pattern ``items`` matches as a whole: literals, character classes
    of literals and ranges, alternatives, groups without flags and bounded repeats; nothing else."""
    texts = [""]
    for op, arg in items:
        if op is c.LITERAL:
            options = [chr(arg)]
        elif op is c.IN:
            options = []
            for kind, value in arg:
                if kind is c.LITERAL:
                    options.append(chr(value))
                elif kind is c.RANGE:
                    options.extend(chr(code) for code in range(value[0], value[1] + 1))
                else:
                    raise _NotFinite(str(kind))
        elif op is c.BRANCH:
            options = [text for branch in arg[1] for text in _spelled(branch, c)]
        elif op is c.SUBPATTERN:
            _group, add_flags, del_flags, inner = arg
            if add_flags or del_flags:
                raise _NotFinite("flags in a group")
            options = _spelled(inner, c)
        elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
            low, high, inner = arg
            if high is c.MAXREPEAT or high > 8:
                raise _NotFinite("unbounded repeat")
            once = _spelled(inner, c)
            options = ["".join(parts) for n in range(low, high + 1) for parts in itertools.product(once, repeat=n)]
        else:
            raise _NotFinite(str(op))
        texts = [text + option for text in texts for option in options]
    return texts


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# The same for ASCII text in one C call: apostrophes dropped, anything else not [a-z0-9] a space.
_ASCII_FOLD = {i: (None if chr(i) == "'" else chr(i) if chr(i) in "abcdefghijklmnopqrstuvwxyz0123456789" else " ") for i in range(128)}
_BRACKETED = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")


def _normalise(text: str) -> str:
    text = text.lower()
    if text.isascii():  # lower() of ASCII is ASCII: the table does what the lines below do
        return " ".join(text.translate(_ASCII_FOLD).split())
    text = text.replace("'", "").replace("\u2019", "")
    text = _NON_ALNUM.sub(" ", text)
    return " ".join(text.split())


def _heading_forms(heading: str) -> Iterator[str]:
    """The heading without its brackets, and with the bracketed words moved first.

    "Date of birth (DD/MM/YYYY)" is a date-of-birth heading without its brackets; "Name (child)"
    is one with them ("child name")."""
    if "(" not in heading and "[" not in heading:
        yield _normalise(heading)  # nothing bracketed: the one form
        return
    bracketed = _BRACKETED.findall(heading)
    bare = _BRACKETED.sub(" ", heading)
    yield _normalise(bare)
    if bracketed:
        inner = " ".join(a or b for a, b in bracketed)
        yield _normalise(f"{inner} {bare}")
        yield _normalise(f"{bare} {inner}")


def looks_personal(heading: object) -> bool:
    """True when a cell's whole text is a heading naming a personal identifier (see the module docstring)."""
    if not isinstance(heading, str) or len(heading) > _MAX_HEADING_CHARS:
        return False
    personal = _personal_heading()
    return any(form and personal(form) for form in _heading_forms(heading))


# -- identifiers in text ---------------------------------------------------------------------------

HEADING_RULE = "a heading that names a personal identifier"
NHS_RULE = "an NHS number"
NI_RULE = "a National Insurance number"
UPN_RULE = "a unique pupil number (UPN)"
POSTCODE_RULE = "a postcode"
DOB_RULE = "a date of birth"

_DIGIT = re.compile(r"\d")
_NHS = re.compile(r"(?<![\d])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d])")
# HMRC's rules: no D, F, I, Q, U or V; O not second; BG, GB, KN, NK, NT, TN and ZZ never issued.
_NI = re.compile(r"(?<![A-Za-z0-9])(?!bg|gb|kn|nk|nt|tn|zz)([a-ceghj-pr-tw-z][a-ceghj-npr-tw-z]) ?\d{2} ?\d{2} ?\d{2} ?[a-d](?![A-Za-z0-9])", re.I)
# A UPN is 13 characters: a check letter, the LA and establishment numbers, the year and a serial
# (a temporary UPN ends in a letter). A letter and 12 digits is specific enough without the check.
_UPN = re.compile(r"(?<![A-Za-z0-9])[a-z]\d{11}[a-z0-9](?![A-Za-z0-9])", re.I)
# UK postcodes (outward code, space, inward code). Written without the space only in capitals, so
# an id such as "cin12ab" in a formula or a code list is not taken for one.
_OUTWARD = r"(?:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?)"
_INWARD = r"\d[abd-hjlnp-uw-z]{2}"
_POSTCODE_SPACED = re.compile(rf"(?<![A-Za-z0-9])(?:{_OUTWARD} {_INWARD}|gir 0aa)(?![A-Za-z0-9])", re.I)
_POSTCODE_TIGHT = re.compile(r"(?<![A-Za-z0-9])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\d[ABD-HJLNP-UW-Z]{2}(?![A-Za-z0-9])")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)? {_MONTHS},? \d{{2,4}}|{_MONTHS} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|{_MONTHS} \d{{4}})"
_DOB_WORD = r"(?:born|dob|d\.\s?o\.\s?b\.?|date of birth|birth date|birthdate|birthday)"
_DOB_PATTERN = (
    rf"(?<![A-Za-z]){_DOB_WORD}(?![A-Za-z])[\s:=,(\-]*(?:on |in |is |was )?(?:the )?{_DATE}|{_DATE}[\s,)]*\(?\s*{_DOB_WORD}(?![A-Za-z])"
)


@cache
def _dob() -> re.Pattern[str]:
    # Compiled when first needed (~5 ms): only a text with a date-of-birth word standing alone is
    # matched against it, and most runs' inputs have none.
    return re.compile(_DOB_PATTERN, re.I)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number's modulus-11 check: weights 10..2 on the first nine digits give the tenth."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


# What every identifier above must contain, found in one fast scan before the rules run (they are
# slower: lookarounds, case-folding, many alternatives). Each rule's pattern implies one of these,
# so a text without any of them breaks no rule; prose full of years ("since 2023") fails at once.
# Numbers: six digits in a row, perhaps spaced or hyphenated (NHS, NI, UPN); a postcode's core,
# "digit, space, digit, two letters" or in capitals unspaced as _POSTCODE_TIGHT, or GIR 0AA's "0aa".
# The letter class is what [a-z] matches under re.I: the ASCII letters and four others (see re's docs).
_EXTRA_LETTERS = "\u0130\u0131\u017f\u212a"
_LETTER = "A-Za-z" + _EXTRA_LETTERS
# Factored on the leading digit, so the scan tries one branch per character ("0aa": a digit that was 0).
_MAYBE_NUMBER = re.compile(
    rf"\d(?:(?:[ -]?\d){{5}}|[{_LETTER}\d]? \d[{_LETTER}]{{2}}|[A-Z\d]?\d[A-Z]{{2}}|(?<=0)[aA]{{2}})"
)
# The same two for ASCII text (most of it), where \d is [0-9] and the letter class is [A-Za-z]:
# factored on the leading digit, so the scan tries one branch per character (about 3x faster).
_ASCII_DIGIT = re.compile(r"[0-9]")
_MAYBE_NUMBER_ASCII = re.compile(r"[0-9](?:(?:[ -]?[0-9]){5}|[A-Za-z0-9]? [0-9][A-Za-z]{2}|[A-Z0-9]?[0-9][A-Z]{2}|(?<=0)[aA]{2})")
# Dates of birth: one of _DOB_WORD's words (each holds "born", "dob", "birth" or d.o.b's dots).
# Factored on the first letter (a case-sensitive class lets the scan skip ahead): it also finds "bob"
# or "dirth", which only sends a text on to the full rules.
_BIRTH_WORD = re.compile(r"[bBdD](?i:orn|ob|irth|\.\s?o\.\s?b)")


def _may_name_a_birth(text: str) -> bool:
    if text.isascii():  # lower() and 'in' are exact for ASCII, and far cheaper than a re.I scan
        low = text.lower()
        return "born" in low or "dob" in low or "birth" in low or ("o." in low and _BIRTH_WORD.search(low) is not None)
    return _BIRTH_WORD.search(text) is not None


# The quick number pattern for ASCII text, run on the text's shape: each byte mapped to the class
# _MAYBE_NUMBER_ASCII asks about (digit '0', lower-case 'a', capital 'A', ' ', '-', anything else '.').
# One bytes.translate makes the shape, and then the scan's first character is one literal ('0'), which
# re finds many times faster than a class such as [0-9]. Branch for branch it is _MAYBE_NUMBER_ASCII
# but for '0aa' (a digit that was 0), which is looked for in the lower-cased bytes.
_SHAPE = bytes(
    ord("0") if chr(b) in "0123456789" else ord("a") if chr(b) in "abcdefghijklmnopqrstuvwxyz"
    else ord("A") if chr(b) in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" else b if chr(b) in " -" else ord(".")
    for b in range(256)
)
_MAYBE_NUMBER_SHAPE = re.compile(rb"0(?:(?:[ -]?0){5}|[aA0]? 0[aA]{2}|[A0]?0AA)")


def _ascii_may_break_a_rule(text: str) -> bool:
    """_MAYBE_NUMBER_ASCII.search(text) or _may_name_a_birth(text), for ASCII ``text``, as one pass of
    C over its bytes (most texts stop at the first test: no digit at all)."""
    raw = text.encode("ascii")
    shape = raw.translate(_SHAPE)
    if b"0" not in shape:
        return False  # no digit: no identifier screened for (each holds one)
    if _MAYBE_NUMBER_SHAPE.search(shape) is not None:
        return True
    low = raw.lower()
    return b"0aa" in low or b"born" in low or b"dob" in low or b"birth" in low or (b"o." in low and _BIRTH_WORD.search(text) is not None)


def identifier_rule(text: str) -> str | None:
    """Which rule ``text`` breaks (e.g. "an NHS number"), or None. The match itself is never returned."""
    if not text or len(text) < 5:
        return None
    if text.isascii():  # a flag CPython keeps on every string: no scan
        if not _ascii_may_break_a_rule(text):
            return None
    elif not _DIGIT.search(text):
        return None  # every identifier screened for holds a digit: most prose stops here, at one scan
    elif not _MAYBE_NUMBER.search(text) and not _may_name_a_birth(text):
        return None
    return _matching_rule(text)


# For a whole file's texts at once (texts_that_may_break_a_rule): the texts joined by a byte no
# pattern below takes (so no match spans two texts), screened with a few scans of C over the lot.
_SEPARATOR = b"\x00"
_ASCII_BYTES = bytes(range(128))
# What must not be met outside ASCII for the joined bytes to be screened as ASCII: a digit (\d is
# Unicode), one of the four letters [a-z] takes under re.I, or whitespace (\s in "d. o. b.").
_NOT_ASCII_LIKE = re.compile(rf"[\d\s{_EXTRA_LETTERS}]")
# In the lower-cased bytes: the birth words ("d.o.b." as _DOB_WORD writes it; \s of a str pattern also
# takes \x1c-\x1f in ASCII), and GIR 0AA's "0aa". Each pattern starts with one literal byte, which re
# finds quickly, so the three scans cost about what one bytes.find for each of five words did.
_BIRTH_SCANS = (
    re.compile(rb"b(?:orn|irth)"),
    re.compile(rb"d(?:ob|\.[\s\x1c-\x1f]?o\.[\s\x1c-\x1f]?b)"),
    re.compile(rb"0aa"),
)


def texts_that_may_break_a_rule(texts: Sequence[str]) -> list[str]:
    """The texts of ``texts`` that :func:`identifier_rule` must look at: every one that breaks a rule
    is among them (and a few that do not). It is what identifier_rule's quick rejection asks of each
    text -- a digit and the quick number pattern, or a date-of-birth word -- asked of all the texts
    joined, so that a file's thousands of texts cost a few scans of C instead of a Python call each."""
    encoded = [t.encode("utf-8", "surrogatepass") for t in texts]
    joined = _SEPARATOR.join(encoded)
    if not joined.isascii():
        # The non-ASCII characters alone (UTF-8 keeps every byte of theirs at 0x80 or above), from
        # the texts that have any. If none is a digit, a special letter or whitespace, they are as
        # inert as the separator in every pattern below; else each text is screened on its own, as
        # identifier_rule does.
        others = b"".join(e for e in encoded if not e.isascii()).translate(None, _ASCII_BYTES)
        if _NOT_ASCII_LIKE.search(others.decode("utf-8", "surrogatepass")):
            return list(texts)
    shape = joined.translate(_SHAPE)
    if b"0" not in shape:
        return []  # no digit anywhere: every identifier screened for holds one
    ends = list(accumulate(map((1).__add__, map(len, encoded))))  # where each text's successor starts
    found = {bisect_right(ends, m.start()) for m in _MAYBE_NUMBER_SHAPE.finditer(shape)}
    low = joined.lower()
    for scan in _BIRTH_SCANS:
        found.update(bisect_right(ends, m.start()) for m in scan.finditer(low))
    return [texts[i] for i in sorted(found)]


# A date-of-birth word standing alone, as both of _DOB_PATTERN's branches have it (after a date the word
# follows a space, ',', '(' or ')' or the date's last digit: never a letter). _dob() tries a date at
# every place in the text, which is slow on a long paragraph ("from birth to adulthood" has no such
# word): it runs only where this finds one.
_DOB_WORD_ALONE = re.compile(rf"(?<![A-Za-z]){_DOB_WORD}(?![A-Za-z])", re.I)


def _matching_rule(text: str) -> str | None:
    """The first rule, in the order above, that ``text`` breaks (without the quick rejection)."""
    for m in _NHS.finditer(text):
        if nhs_number_is_valid("".join(m.groups())):
            return NHS_RULE
    if _NI.search(text):
        return NI_RULE
    if _UPN.search(text):
        return UPN_RULE
    if _POSTCODE_SPACED.search(text) or _POSTCODE_TIGHT.search(text):
        return POSTCODE_RULE
    if _may_name_a_birth(text) and _DOB_WORD_ALONE.search(text) and _dob().search(text):
        return DOB_RULE
    return None


def value_rule(value: object) -> str | None:
    """The rule a cell value breaks: text is screened, and a 10-digit whole number may be an NHS number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and not 1_000_000_000 <= value < 10_000_000_000:
        return None  # not ten digits: no NHS number (most figures stop here, before str())
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e11):
        digits = str(int(value))
        return NHS_RULE if nhs_number_is_valid(digits) else None
    if isinstance(value, str):
        return identifier_rule(value)
    return None


def _refusal(rule: str, where: Location, *, heading: str | None = None) -> InputError:
    if heading is not None:
        what = f"the heading '{heading.strip()}' names a personal identifier"
    else:
        what = f"this looks like {rule} (not repeated here)"
    return InputError(
        f"{what}, which is personal data about an individual. selfeval takes aggregate figures only "
        "(percentages, rates and counts for the whole service), never child-level data: remove it from the file, "
        "or summarise it first",
        where,
    )


class _Problems:
    """At most MAX_PROBLEMS refusals per file, then one line saying how many more."""

    def __init__(self, path: Path):
        self.path = path
        self.items: list[SelfevalError] = []
        self.more = 0

    def add(self, error: InputError) -> None:
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(error)
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if not self.items:
            return
        items = list(self.items)
        if self.more:
            items.append(InputError(f"... and {self.more} more cells like these not shown", Location(self.path)))
        if len(items) == 1:
            raise items[0]
        raise ErrorList(items)


# -- workbooks -------------------------------------------------------------------------------------

def _column_letter(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _sheet_cells(sheet: Any) -> Iterator[tuple[int, int, Any]]:
    """(row, column, value) of every non-empty cell, streamed, ignoring the sheet's claimed size.

    A forged ``<dimension ref="A1:XFD1048576"/>`` would make openpyxl pad every row to 16,384
    cells; ``reset_dimensions`` makes each row as wide as its last real cell."""
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    for r, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                yield r, c, value


def check_no_personal_data(workbook: Any, path: Path) -> None:
    """Raise InputError (or ErrorList) at ``Sheet!Cell`` for every cell of every sheet that breaks a rule.

    ``workbook`` is an open openpyxl workbook (read-only mode is what it is built for)."""
    problems = _Problems(path)
    for sheet_name in workbook.sheetnames:
        sheet = workbook[sheet_name]
        if not hasattr(sheet, "iter_rows"):  # a chart sheet
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                _screen_sheet(sheet_name, _sheet_cells(sheet), path, problems)
            except Exception as e:  # openpyxl's XML and value errors on a damaged sheet are many and untyped
                problems.raise_if_any()
                raise damaged_sheet(path, sheet_name, e) from None
    problems.raise_if_any()


def _screen_sheet(
    sheet_name: str, cells: Iterable[tuple[int, int, Any]], path: Path, problems: _Problems, clean: set[str] | None = None
) -> None:
    """``clean``: texts already screened in this file and found to break no rule (a scorecard repeats
    its labels, periods and comparator names on every row); a hit is never skipped, each is reported."""
    clean = set() if clean is None else clean
    for r, c, value in cells:
        if isinstance(value, str):
            if value in clean:
                continue
        elif value.__class__ in _FIGURES and not 1_000_000_000 <= value < 10_000_000_000:
            continue  # most cells: a figure is no heading, and only ten digits can be an NHS number
        if looks_personal(value):
            problems.add(_refusal(HEADING_RULE, _cell_location(path, sheet_name, r, c), heading=value))
        else:
            rule = value_rule(value)
            if rule:
                problems.add(_refusal(rule, _cell_location(path, sheet_name, r, c)))
            else:
                if isinstance(value, str):
                    clean.add(value)
                continue  # most cells: nothing to report, and no place to build
        if len(problems.items) >= MAX_PROBLEMS:
            break


_FIGURES = (int, float)  # exactly: a bool is neither here, and value_rule never refuses one


def _cell_location(path: Path, sheet_name: str, row: int, col: int) -> Location:
    return Location(path, cell=f"{sheet_name}!{_column_letter(col)}{row}")


def check_cell_values(sheets: Iterable[tuple[str, Iterable[tuple[int, int, Any]]]], path: Path) -> None:
    """:func:`check_no_personal_data` on cells already read: (sheet name, (row, column, value) of
    every non-empty cell, 1-based) per sheet, as ``selfeval.load.xlsx_values`` streams them."""
    problems = _Problems(path)
    clean: set[str] = set()
    for sheet_name, cells in sheets:
        _screen_sheet(sheet_name, cells, path, problems, clean)
    problems.raise_if_any()


def damaged_sheet(path: Path, sheet_name: str, error: Exception) -> InputError:
    """The message for a sheet whose XML cannot be read (a damaged file, or one not written by a spreadsheet)."""
    return InputError(
        f"the sheet '{sheet_name}' is damaged and cannot be read ({type(error).__name__}); open the file in Excel, "
        "save it again, and run again",
        Location(path, cell=sheet_name),
    )


def check_workbook_file(path: Path) -> None:
    """Open ``path`` (already size- and zip-checked) read-only and run :func:`check_no_personal_data`."""
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as e:  # openpyxl's failures on damaged files are many and untyped
        raise InputError(f"the file cannot be read as an Excel workbook ({type(e).__name__})", Location(path)) from None
    try:
        check_no_personal_data(workbook, path)
    finally:
        workbook.close()


# -- text files (findings YAML) --------------------------------------------------------------------

@dataclass(frozen=True)
class TextValue:
    """One value read from a text file, with where it starts (1-based line and column)."""

    text: str
    line: int
    column: int


def check_text_values(values: Iterable[TextValue], path: Path) -> None:
    """Raise at file:line:column for every value that holds a personal identifier."""
    problems = _Problems(path)
    for value in values:
        rule = identifier_rule(value.text)
        if rule:
            problems.add(_refusal(rule, Location(path, line=value.line, column=value.column)))
            if len(problems.items) >= MAX_PROBLEMS:
                break
    problems.raise_if_any()
