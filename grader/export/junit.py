"""Grades as JUnit XML, the format every CI system can show.

One ``<testsuite>`` per student and assignment, named ``student.assignment``, so a course
grading in CI sees each student's failing tests next to each other. Status maps to the
JUnit vocabulary: failed -> ``<failure>``, error and timeout -> ``<error>`` (with the
type saying which), an assignment not handed in -> one ``<skipped>`` case, and one that
could not be loaded -> one ``<error>`` case, so an empty suite never looks green. The
``score`` property is what the student gets; an adjusted result adds ``raw_score`` and one
``adjustment.late`` / ``adjustment.override`` property saying why.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from grader.report.text import first_line, strip_ansi
from grader.results import AssignmentResult, StudentResult, TestResult

# Characters XML 1.0 forbids even escaped; student output is full of them (ANSI escapes).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` made storable in XML: colour codes removed, forbidden characters replaced."""
    return _NOT_XML.sub("\ufffd", strip_ansi(text))


def _seconds(value: float) -> str:
    return f"{max(0.0, float(value)):.3f}"


def _add_outcome(case: ET.Element, status: str, message: str) -> None:
    """The child element a status needs; nothing for passed."""
    if status == "passed":
        return
    # JUnit knows no partial credit: a test short of its points is a failure of type
    # "partial", its message saying how many it earned.
    tag = {"failed": "failure", "partial": "failure", "missing": "skipped",
           "skipped": "skipped"}.get(status, "error")
    outcome = ET.SubElement(case, tag, message=xml_text(first_line(message) or status))
    if tag != "skipped":
        outcome.set("type", status)
    if message:
        outcome.text = xml_text(message)


def _case(classname: str, test: TestResult) -> ET.Element:
    case = ET.Element("testcase", classname=classname, name=xml_text(test.name))
    case.set("time", _seconds(test.duration))
    message = test.message
    if test.status == "partial":
        message = f"{test.score:g} of {test.max_score:g} points: {message}".rstrip(": ")
    _add_outcome(case, test.status, message)
    return case


def _suite(student: str, result: AssignmentResult) -> ET.Element:
    name = xml_text(f"{student}.{result.assignment}")
    suite = ET.Element("testsuite", name=name, time=_seconds(result.duration))
    properties = ET.SubElement(suite, "properties")
    shown: list[tuple[str, object]] = [
        ("score", result.score),
        ("max_score", result.max_score),
        ("status", result.status),
    ]
    if result.adjustments:
        shown.append(("raw_score", result.raw_score))
        shown += [(f"adjustment.{a.get('kind')}", a.get("note", "")) for a in result.adjustments]
    for key, value in shown:
        ET.SubElement(properties, "property", name=key, value=xml_text(str(value)))
    # Not handed in: one skipped case saying what was expected, not one per hidden test.
    cases = [] if result.status == "missing" else [_case(name, test) for test in result.tests]
    if not cases and result.status != "graded":
        case = ET.Element("testcase", classname=name, name=xml_text(result.assignment))
        case.set("time", _seconds(result.duration))
        message = result.message or (
            "not submitted" if result.status == "missing" else result.status
        )
        if result.status == "missing":
            message = first_line(message)
        _add_outcome(case, result.status, message)
        cases.append(case)
    suite.extend(cases)
    counts = {
        tag: sum(case.find(tag) is not None for case in cases)
        for tag in ("failure", "error", "skipped")
    }
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(counts["failure"]))
    suite.set("errors", str(counts["error"]))
    suite.set("skipped", str(counts["skipped"]))
    if result.output:
        ET.SubElement(suite, "system-out").text = xml_text(result.output)
    return suite


def to_junit(students: Iterable[StudentResult]) -> str:
    """The JUnit XML document for ``students`` as text, with an XML declaration."""
    root = ET.Element("testsuites", name="grader")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for student in sorted(students, key=lambda s: s.student):
        for result in student.assignments:
            suite = _suite(student.student, result)
            root.append(suite)
            for key in totals:
                totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
