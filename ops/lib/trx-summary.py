"""Sums the outcome counters of every .trx file under a directory and prints 'passed failed skipped' on the last line.
Before that, on stderr, every failed test with its message and the top of its stack trace, so a CI log says why."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = "{http://microsoft.com/schemas/VisualStudio/TeamTest/2010}"
passed = failed = skipped = 0
for trx in sorted(pathlib.Path(sys.argv[1]).rglob("*.trx")):
    root = ET.parse(trx).getroot()
    counters = root.find(f"{NS}ResultSummary/{NS}Counters")
    if counters is not None:
        passed += int(counters.get("passed", 0))
        failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
        skipped += int(counters.get("notExecuted", 0)) + int(counters.get("notRunnable", 0))
    for result in root.iter(f"{NS}UnitTestResult"):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}Message") or ""
        stack = result.findtext(f"{NS}Output/{NS}ErrorInfo/{NS}StackTrace") or ""
        print(f"FAILED {result.get('testName')}", file=sys.stderr)
        for line in message.strip().splitlines()[:40]:
            print(f"    {line}", file=sys.stderr)
        for line in stack.strip().splitlines()[:8]:
            print(f"    {line}", file=sys.stderr)
print(passed, failed, skipped)
