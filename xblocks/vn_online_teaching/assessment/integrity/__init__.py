"""What the records of a sitting can show after it: screening for pairs of students whose answers
agree more than their abilities explain (``screening``), and reading an exported response file
(``responses``). Pure code: nothing here reads or writes the database."""
