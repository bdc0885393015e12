"""The shared core every block stands on: who is asking, what they may do, the audit log,
school time, request validation and translation. It knows no feature."""
