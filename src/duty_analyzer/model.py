"""The one data model every stage shares.

Plain dataclasses so that each stage can be tested alone and the whole corpus can be written to
and read back from JSON (`Corpus.to_dict` / `Corpus.from_dict`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class Location:
    """Where a piece of text came from, precise enough for a reviewer to find it."""

    file: str
    page: int | None = None
    paragraph: int | None = None
    line: int | None = None
    row: int | None = None
    sheet: str | None = None

    def __reduce__(self):
        # Pickled as its constructor's arguments: every hotline record crosses to a worker with one.
        return Location, (self.file, self.page, self.paragraph, self.line, self.row, self.sheet)


@dataclass
class Department:
    name: str
    short_name: str
    level: str = ""
    source_file: str = ""


@dataclass
class DutyItem:
    department: str
    section: str
    label: str
    text: str
    location: Location
    unit: str | None = None


@dataclass
class LeaderPost:
    title: str
    count: int


@dataclass
class Staffing:
    department: str
    counts: dict[str, int]
    leaders: list[LeaderPost]
    text: str
    location: Location


@dataclass
class DivisionClause:
    department: str
    counterparts: list[str]
    text: str
    location: Location
    label: str = ""


@dataclass
class UnrecognizedText:
    """A paragraph a parser could not place; reported instead of silently dropped."""

    text: str
    location: Location
    reason: str


@dataclass
class ListItem:
    department: str
    matter: str
    power_type: str
    basis: str
    responsibility: str
    handling_unit: str
    location: Location
    sub_item: str = ""
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class Bounce:
    unit: str
    reason: str

    def __reduce__(self):
        return Bounce, (self.unit, self.reason)


@dataclass
class HotlineRecord:
    record_id: str
    time: str
    request: str
    first_unit: str
    bounces: list[Bounce]
    final_unit: str
    location: Location
    extra: dict[str, str] = field(default_factory=dict)

    def __reduce__(self):
        # Pickled as its constructor's arguments, which loads in half the time of a dataclass's state dict: an
        # export streams to the workers a batch at a time, every record pickled once and unpickled once.
        return HotlineRecord, (self.record_id, self.time, self.request, self.first_unit, self.bounces, self.final_unit,
                               self.location, self.extra)


@dataclass
class StaffingRecord:
    """One row of a staffing export (机构编制实名制 system or a hand-kept 台账): the approved and actual staffing
    of one unit (a department, one of its 内设机构 or a 事业单位) for one kind of post. `None` = not given."""

    unit: str
    department: str
    unit_level: str
    staff_type: str
    approved: int | None
    actual: int | None
    location: Location
    leaders: dict[str, list[int | None]] = field(default_factory=dict)  # 正职/副职/正科级/副科级 → [核定, 实配]
    seconded_out: int | None = None
    seconded_in: int | None = None
    contract_staff: int | None = None
    absent: int | None = None
    vacant_months: int | None = None
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class InterviewStatement:
    source_file: str
    text: str
    location: Location
    speaker: str = ""
    role: str = ""
    question: str = ""


@dataclass
class ParsedFile:
    """What one parser returns for one file."""

    path: str
    kind: str
    departments: list[Department] = field(default_factory=list)
    duties: list[DutyItem] = field(default_factory=list)
    staffing: list[Staffing] = field(default_factory=list)
    divisions: list[DivisionClause] = field(default_factory=list)
    list_items: list[ListItem] = field(default_factory=list)
    hotline: list[HotlineRecord] = field(default_factory=list)
    statements: list[InterviewStatement] = field(default_factory=list)
    unrecognized: list[UnrecognizedText] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    staffing_records: list[StaffingRecord] = field(default_factory=list)


@dataclass
class FileError:
    """A file the batch could not use (`severity="error"`: refused) or used with a caveat the user must see
    (`severity="warning"`: e.g. a 三定 that yielded no 主要职责, a 清单 with no rows). Every writer (summary,
    report, ledger) lists both; only errors make the exit code non-zero."""

    path: str
    message: str
    severity: str = "error"

    @property
    def is_warning(self) -> bool:
        return self.severity == "warning"


@dataclass
class Corpus:
    files: list[ParsedFile] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)

    def _all(self, attr: str) -> list:
        return [x for f in self.files for x in getattr(f, attr)]

    @property
    def departments(self) -> list[Department]:
        return self._all("departments")

    @property
    def duties(self) -> list[DutyItem]:
        return self._all("duties")

    @property
    def staffing(self) -> list[Staffing]:
        return self._all("staffing")

    @property
    def divisions(self) -> list[DivisionClause]:
        return self._all("divisions")

    @property
    def list_items(self) -> list[ListItem]:
        return self._all("list_items")

    @property
    def hotline(self) -> list[HotlineRecord]:
        return self._all("hotline")

    @property
    def statements(self) -> list[InterviewStatement]:
        return self._all("statements")

    @property
    def staffing_records(self) -> list[StaffingRecord]:
        return self._all("staffing_records")

    @property
    def failures(self) -> list[FileError]:
        return [e for e in self.errors if not e.is_warning]

    @property
    def warnings(self) -> list[FileError]:
        return [e for e in self.errors if e.is_warning]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Corpus":
        return cls(
            files=[_build(ParsedFile, f) for f in data.get("files", [])],
            errors=[FileError(**e) for e in data.get("errors", [])],
        )


# Nested dataclass fields of each type, so that from_dict can rebuild the tree generically.
_NESTED: dict[type, dict[str, type]] = {
    ParsedFile: {
        "departments": Department,
        "duties": DutyItem,
        "staffing": Staffing,
        "divisions": DivisionClause,
        "list_items": ListItem,
        "hotline": HotlineRecord,
        "statements": InterviewStatement,
        "unrecognized": UnrecognizedText,
        "staffing_records": StaffingRecord,
    },
    Staffing: {"leaders": LeaderPost, "location": Location},
    HotlineRecord: {"bounces": Bounce, "location": Location},
    StaffingRecord: {"location": Location},
}


def _build(cls: type, data: dict[str, Any]) -> Any:
    nested = _NESTED.get(cls, {})
    kwargs = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        sub = nested.get(f.name) or (Location if f.name == "location" else None)
        if sub is not None and isinstance(value, list):
            value = [_build(sub, v) for v in value]
        elif sub is not None and isinstance(value, dict):
            value = _build(sub, value)
        kwargs[f.name] = value
    return cls(**kwargs)
