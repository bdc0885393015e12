"""What the records of a sitting can show after it, for people to judge, never an automatic
sanction: screening for pairs of students whose answers agree more than their abilities explain
(``screening``, pure) and reading an exported response file (``responses``, pure); one attempt's
report from the evidence records (``report``, pure); the teachers' decisions on an attempt
(``decisions``, records, audited) and the test-level summary with its exports (``summary``)."""
