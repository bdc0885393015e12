"""The property-based fuzz tier: every handler of every installed block and every meeting-report
parser driven with generated bodies and files (docs/fuzzing.md)."""
