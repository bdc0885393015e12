"""session_attendance: online lessons, roll call, meeting-report imports and the class logbook (sổ đầu bài)."""
