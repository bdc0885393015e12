"""Periodic assessment (kiểm tra định kỳ): the ``periodic_assessment`` block.

Circular 09/2021 keeps periodic tests in person at school and lets a student who cannot come for
a reason beyond their control sit one online only by decision of the head of school, with a test
that stays accurate, fair, objective and honest (docs/circular-09.md, periodic assessment). The
package is split so that those rules can be read and tested without a server:

- ``access``, ``settings``: who may do what, and the numbers a school may change;
- ``questions`` (with ``levels``, ``numbers``, ``answers``), ``bank_import``, ``blueprint``,
  ``paper``: the question bank, the test blueprint (ma trận đề) and the paper each student
  receives;
- ``timing``: windows, deadlines, extra time, late saves, when a sitting may open;
- ``states``: the life of one attempt as a table of events;
- ``scoring``: points per format and the score on the 10-point scale, in decimal arithmetic.

These domain modules know nothing of XBlock, HTTP or the database: the block and the records
layer call them.
"""
