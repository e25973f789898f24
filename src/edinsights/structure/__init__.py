"""Course structure, catalog and grading policy (docs/structure.md).

The import side: the records (model.py), the outline traversal (traversal.py), the two readers
(olx.py: course exports; lms.py: the LMS REST APIs), block id matching (ids.py) and the
versioned Parquet tables beside the event store (storage.py). Analytics modules read the
stored structure through `storage.StructureStore`; nothing here names a module.
"""

from edinsights.structure.model import (
    Block,
    CourseInfo,
    CourseStructure,
    GraderEntry,
    StructureError,
)

__all__ = ["Block", "CourseInfo", "CourseStructure", "GraderEntry", "StructureError"]
