"""A small course export with the shapes of a real one (openedx/edx-demo-course), written here.

What it reproduces, not what it says: course.xml as a pointer (url_name, org, course) to
course/<run>.xml; chapters, sequentials and verticals as files referenced by `url_name` pointer
tags; components both as pointers (html with its .html file, problem, video, lti) and inline in
a vertical (an XBlock with its attributes, `xblock-family`, and content of its own: drag and
drop, open response assessment, poll, discussion); a library_content block whose children point
at problem files; a graded subsection with its assignment type (`format`) and due date; policy
JSON keyed `course/<run>` with the catalog dates and `self_paced`; a grading policy with GRADER
entries and GRADE_CUTOFFS; a problem file no vertical references (an orphan); a problem two
verticals reference (a DAG block); a <wiki> setting in the course.
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

RUN = "Fall2024"
ORG = "ShapesU"
NUMBER = "OLX101"
COURSE_ID = f"course-v1:{ORG}+{NUMBER}+{RUN}"


def key(block_type: str, name: str) -> str:
    return f"block-v1:{ORG}+{NUMBER}+{RUN}+type@{block_type}+block@{name}"


FILES: dict[str, str] = {
    "course.xml": f'<course url_name="{RUN}" org="{ORG}" course="{NUMBER}"/>\n',
    f"course/{RUN}.xml": (
        '<course display_name="Shapes of OLX" language="en" self_paced="true" start="2024-09-01T00:00:00Z">\n'
        '  <chapter url_name="ch_intro"/>\n'
        '  <chapter url_name="ch_work"/>\n'
        f'  <wiki slug="{ORG}.{NUMBER}.{RUN}"/>\n'
        "</course>\n"
    ),
    "chapter/ch_intro.xml": (
        '<chapter display_name="Welcome">\n  <sequential url_name="seq_overview"/>\n</chapter>\n'
    ),
    "chapter/ch_work.xml": (
        '<chapter display_name="Assessments">\n'
        '  <sequential url_name="seq_homework"/>\n'
        '  <sequential url_name="seq_practice"/>\n'
        "</chapter>\n"
    ),
    "sequential/seq_overview.xml": (
        '<sequential display_name="Overview">\n'
        '  <vertical url_name="v_start"/>\n'
        '  <vertical url_name="v_tools"/>\n'
        "</sequential>\n"
    ),
    "sequential/seq_homework.xml": (
        '<sequential display_name="Homework 1" format="Homework" graded="true" due="2024-10-15T23:59:00Z">\n'
        '  <vertical url_name="v_quiz"/>\n'
        "</sequential>\n"
    ),
    "sequential/seq_practice.xml": (
        '<sequential display_name="Practice">\n  <vertical url_name="v_library"/>\n</sequential>\n'
    ),
    "vertical/v_start.xml": (
        '<vertical display_name="Start here">\n'
        '  <html url_name="h_welcome"/>\n'
        '  <video url_name="0a1b2c3d4e5f60718293a4b5c6d7e8f9"/>\n'
        "</vertical>\n"
    ),
    "vertical/v_tools.xml": (
        '<vertical display_name="Tools">\n'
        '  <drag-and-drop-v2 url_name="dnd_brain" xblock-family="xblock.v1" display_name="Drag and Drop"'
        ' data="{&quot;items&quot;: []}" weight="1.0"/>\n'
        '  <openassessment url_name="ora_essay" submission_due="2030-01-01T00:00:00+00:00"'
        ' text_response="required">\n'
        "    <title>Essay</title>\n"
        "    <prompts><prompt><description>Write.</description></prompt></prompts>\n"
        "  </openassessment>\n"
        '  <poll url_name="poll_fav" xblock-family="xblock.v1" display_name="Poll" question="Which?"/>\n'
        '  <discussion url_name="disc_general" xblock-family="xblock.v1" display_name="Talk"'
        ' discussion_category="Week 1" discussion_target="Talk"/>\n'
        '  <lti url_name="lti_tool"/>\n'
        '  <video url_name="vid_inline" display_name="Inline video" youtube_id_1_0="abcdefghijk">\n'
        '    <source src="https://example.invalid/v.mp4"/>\n'
        "  </video>\n"
        "</vertical>\n"
    ),
    "vertical/v_quiz.xml": (
        '<vertical display_name="Quiz">\n'
        '  <problem url_name="p_choice"/>\n'
        '  <problem url_name="p_shared"/>\n'
        "</vertical>\n"
    ),
    "vertical/v_library.xml": (
        '<vertical display_name="From the library">\n'
        '  <library_content url_name="lib_pick"/>\n'
        '  <problem url_name="p_shared"/>\n'
        "</vertical>\n"
    ),
    "library_content/lib_pick.xml": (
        '<library_content display_name="Randomized" max_count="1"'
        ' source_library_id="library-v1:ShapesU+Bank">\n'
        '  <problem url_name="p_lib_a"/>\n'
        '  <problem url_name="p_lib_b"/>\n'
        "</library_content>\n"
    ),
    "html/h_welcome.xml": '<html filename="h_welcome" display_name="Welcome text"/>\n',
    "html/h_welcome.html": "<p>Welcome <b>aboard</b>.</p>\n",
    "video/0a1b2c3d4e5f60718293a4b5c6d7e8f9.xml": (
        '<video url_name="0a1b2c3d4e5f60718293a4b5c6d7e8f9" display_name="Intro video"'
        ' youtube_id_1_0="zyxwvutsrqp" html5_sources="[]">\n'
        '  <video_asset client_video_id="external video" duration="0.0"/>\n'
        "</video>\n"
    ),
    "lti/lti_tool.xml": (
        '<lti display_name="External tool" launch_url="https://tool.invalid/launch" has_score="true"/>\n'
    ),
    "problem/p_choice.xml": (
        '<problem display_name="Pick one" markdown="null">\n'
        "  <multiplechoiceresponse>\n"
        '    <choicegroup type="MultipleChoice"><choice correct="true">A</choice>'
        '<choice correct="false">B</choice></choicegroup>\n'
        "  </multiplechoiceresponse>\n"
        "</problem>\n"
    ),
    "problem/p_shared.xml": (
        '<problem display_name="Shared problem">'
        '<stringresponse answer="x"><textline/></stringresponse></problem>\n'
    ),
    "problem/p_lib_a.xml": '<problem display_name="Bank A"><numericalresponse answer="1"/></problem>\n',
    "problem/p_lib_b.xml": '<problem display_name="Bank B"><numericalresponse answer="2"/></problem>\n',
    "problem/p_orphan.xml": '<problem display_name="Left behind"><numericalresponse answer="3"/></problem>\n',
    f"policies/{RUN}/policy.json": json.dumps(
        {
            f"course/{RUN}": {
                "display_name": "Shapes of OLX",
                "start": "2024-09-01T00:00:00Z",
                "end": "2024-12-20T00:00:00Z",
                "enrollment_start": "2024-08-01T00:00:00Z",
                "self_paced": True,
                "tabs": [{"type": "courseware", "name": "Course"}],
            }
        },
        indent=4,
    ),
    f"policies/{RUN}/grading_policy.json": json.dumps(
        {
            "GRADER": [
                {"type": "Homework", "min_count": 3, "drop_count": 1, "short_label": "HW", "weight": 0.4},
                {"type": "Exam", "min_count": 1, "drop_count": 0, "short_label": "Ex", "weight": 0.6},
            ],
            "GRADE_CUTOFFS": {"Pass": 0.5},
        },
        indent=4,
    ),
    "policies/assets.json": "{}",
    "about/overview.html": "<section>About</section>\n",
    "static/handout.txt": "not XML at all <<<",
}

EXPECTED_ORDER = [
    ("course", "course"),
    ("chapter", "ch_intro"),
    ("sequential", "seq_overview"),
    ("vertical", "v_start"),
    ("html", "h_welcome"),
    ("video", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    ("vertical", "v_tools"),
    ("drag-and-drop-v2", "dnd_brain"),
    ("openassessment", "ora_essay"),
    ("poll", "poll_fav"),
    ("discussion", "disc_general"),
    ("lti", "lti_tool"),
    ("video", "vid_inline"),
    ("chapter", "ch_work"),
    ("sequential", "seq_homework"),
    ("vertical", "v_quiz"),
    ("problem", "p_choice"),
    ("problem", "p_shared"),
    ("sequential", "seq_practice"),
    ("vertical", "v_library"),
    ("library_content", "lib_pick"),
    ("problem", "p_lib_a"),
    ("problem", "p_lib_b"),
    ("problem", "p_orphan"),
]
"""Every block in sort_idx order (p_shared placed under its first vertical; the orphan last)."""


def write_directory(target: Path, files: dict[str, str] | None = None, wrapper: str = "course") -> Path:
    """The export unpacked under target/<wrapper>/ (exports wrap their files in one directory)."""
    root = target / wrapper if wrapper else target
    for name, text in (FILES if files is None else files).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return target


def write_tarball(target: Path, files: dict[str, str] | None = None, wrapper: str = "course") -> Path:
    with tarfile.open(target, "w:gz") as archive:
        for name, text in (FILES if files is None else files).items():
            data = text.encode()
            info = tarfile.TarInfo(f"{wrapper}/{name}" if wrapper else name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target
