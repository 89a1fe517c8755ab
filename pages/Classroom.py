"""Classroom: the story in six steps (five from the article, one on what came later), in
large type for a projector."""

import streamlit as st

from geo.engine import facts
from geo.i18n import _
from geo.narrative import story
from geo.render.web import storypage
from pages.shared import mapframe, ui, viewstate

ui.leave_folder_navigation()

STEP = "story_step"
LARGE_TYPE = """<style>
.st-key-classroom p, .st-key-classroom li { font-size: 1.6rem; line-height: 1.45; }
.st-key-classroom h1 { font-size: 2.9rem; line-height: 1.15; padding-top: 0; }
.st-key-step_count p { font-size: 1.3rem; color: #555; margin-bottom: 0; }
.st-key-classroom blockquote p { font-size: 1.5rem; font-style: italic; }
.st-key-classroom button p { font-size: 1.5rem; }
.st-key-classroom button { min-height: 3.4rem; }
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stMain"] button { display: none !important; }
  [data-testid="stMainBlockContainer"] { max-width: 100% !important; width: 100% !important; padding: 0 !important; }
}
</style>"""

view = ui.current()
layers, later = ui.built(story.PARAMS), ui.built(story.LATER)
steps = story.steps(layers, facts.figures(layers), facts.stage_figures(story.PARAMS), later)

if STEP not in st.session_state:
    st.session_state[STEP], problem = story.step_from_query(st.query_params.get("step"), len(steps))
    if problem:
        st.warning(ui.markdown_text(problem), icon="🔗")


def go(number: int) -> None:
    st.session_state[STEP] = min(max(number, 1), len(steps))


current = steps[st.session_state[STEP] - 1]
st.query_params["step"] = str(current.number)
st.html(LARGE_TYPE)

with st.container(key="classroom"):
    map_column, text_column = st.columns([3, 2], gap="large")
    with text_column:
        # The buttons first, so they stay in one place from step to step.
        back, forward = st.columns(2)
        back.button(
            _("← Previous"),
            on_click=go,
            args=(current.number - 1,),
            disabled=current.number == 1,
            width="stretch",
            key="previous",
        )
        forward.button(
            _("Next →"),
            on_click=go,
            args=(current.number + 1,),
            disabled=current.number == len(steps),
            width="stretch",
            type="primary",
            key="next",
        )
        st.container(key="step_count").markdown(
            _("Step {number} of {count}").format(number=current.number, count=len(steps))
        )
        st.title(current.title)
        st.markdown(current.text)
        if current.quote:
            # The quote stays in English, as in the article; the line under it says so in other languages.
            source = _("(the article, paragraph {paragraph})").format(
                paragraph=current.quote_paragraph
            )
            st.markdown(f"> “{ui.markdown_text(current.quote)}”  \n> {source}")
    with map_column:
        story_view = view.with_(params=current.params, radius_unit="mi", layers=current.layers)
        prepared, zones, _unused = ui.map_frame(story_view, legend=False)
        mapframe.show(
            prepared,
            key="story_map",
            height=story.MAP_SIZE_PX[1],
            center=current.centre,
            zoom=current.zoom,
            returned_objects=[],
            overlay=zones,
        )
        ui.map_description(ui.built(current.params), current.layers)
st.caption(
    _(
        "The story uses R = {radius} and D = {depth}; the Map page explores other values. Press "
        "F11 for "
        "full screen."
    ).format(
        radius=viewstate.label(story.PARAMS.radius, "mi"),
        depth=viewstate.label(story.PARAMS.depth, "km"),
    )
)
st.download_button(
    _("Download the story as one HTML file"),
    ui.deferred(lambda: storypage.story_html(layers, later, view.basemap)[0]),
    file_name=viewstate.file_name(view.with_(params=story.PARAMS), "story", "html", basemap=True),
    mime="text/html",
    icon="⬇️",
    on_click="ignore",
    help=_(
        "The six steps in one file that opens in any browser, from a USB stick too; with the "
        "basemap set to none it needs no internet."
    ),
    key="download_story",
)
