"""The settings of learning materials, with their defaults (read through ``core.config.get``,
which finds them by core/registry.py; a school overrides them like any other setting)."""
from ..core.registry import Setting

SETTINGS = {
    "ALLOW_SAME_PERSON_REVIEW": Setting(
        False, "When False, whoever submitted or changed a material's content cannot pass or approve it, "
               "and the principal who approves is not the head who passed it. True only for a very small "
               "school where one person must hold two roles."),
    "MATERIALS_TARGET_PER_SEMESTER": Setting(2, "Approved digital materials each teacher is expected to "
                                                "produce per semester."),
    "MAX_ATTACHMENT_BYTES": Setting(20 * 1024 * 1024, "Largest file attached to a material, in bytes (20 MB). "
                                                      "Files are attached in Studio, whose proxy (Tutor's Caddy) "
                                                      "takes requests up to 250 MB; the LMS would refuse "
                                                      "over 4 MB."),
    "MAX_ATTACHMENTS": Setting(20, "Most files attached to one material."),
}
