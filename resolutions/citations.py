"""A resolution's citations: the documents it cites and the resolutions held here that cite it, read
once for its citations page and the API, and drawn as a small graph laid out here, server-side (the
template writes it as SVG: no script, no graph library, the same picture in every browser)."""

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from resolutions.models import Reference, Resolution
from resolutions.symbols import un_document_url


def cited_documents(resolution):
    """What ``resolution`` cites, one row per document in the order first cited, with the cited
    resolution when it is held here (``target``)."""
    return (
        Reference.objects.filter(resolution=resolution)
        .one_per_symbol()
        .select_related("target")
        .only("symbol", "target__symbol", "target__title", "target__adopted_on")
    )


def citing_resolutions(resolution):
    """The resolutions held here that cite ``resolution``, newest first."""
    return Resolution.objects.citing(resolution).only("symbol", "title", "adopted_on", "session", "body")


# The graph's geometry, in SVG user units (it scales to the width it is given).
COLUMN_WIDTH = 190
GUTTER = 60
NODE_HEIGHT = 26
ROW_PITCH = 34
TOP = 34  # below the column headings
LABEL_CHARACTERS = 24  # what fits in a node at the font size the stylesheet gives
WIDTH = 3 * COLUMN_WIDTH + 2 * GUTTER
# On a phone the columns stand one above the other, two nodes a row, at a size still readable there.
STACKED_NODE_WIDTH = 170
STACKED_GAP = 16
STACKED_WIDTH = 2 * STACKED_NODE_WIDTH + STACKED_GAP
STACKED_ARROW = 40  # the space an arrow between two blocks takes


@dataclass
class Node:
    label: str
    href: str
    title: str = ""  # a tooltip: the symbol and, for a held resolution, its title
    held: bool = False  # a resolution held here (its page), else the UN's document link
    more: bool = False  # "and 280 more", linking to the full list
    x: int = 0
    y: int = 0
    width: int = COLUMN_WIDTH
    height: int = NODE_HEIGHT

    def at(self, x, y, width):
        return replace(self, x=x, y=y, width=width)

    @property
    def middle(self):
        return self.y + self.height // 2

    @property
    def text_x(self):
        return self.x + self.width // 2


@dataclass
class Edge:
    """An arrow from the citing document to the cited one: a curve, or a straight line."""

    x1: int
    y1: int
    x2: int
    y2: int
    straight: bool = False

    @property
    def path(self):
        if self.straight:
            return f"M{self.x1},{self.y1} L{self.x2},{self.y2}"
        bend = (self.x2 - self.x1) // 2
        return (
            f"M{self.x1},{self.y1} C{self.x1 + bend},{self.y1} {self.x2 - bend},{self.y2} {self.x2},{self.y2}"
        )


@dataclass
class Heading:
    x: int
    y: int
    text: str


@dataclass
class Drawing:
    """One layout of the graph: where each node, arrow and heading goes, and the size of it all."""

    centre: Node
    cites: list[Node]
    cited_by: list[Node]
    edges: list[Edge]
    headings: list[Heading]
    width: int
    height: int

    MARGIN = 2  # room for the strokes of the nodes along the edges

    @property
    def view_box(self):
        return f"{-self.MARGIN} {-self.MARGIN} {self.width + 2 * self.MARGIN} {self.height + 2 * self.MARGIN}"

    @property
    def outer_width(self):
        return self.width + 2 * self.MARGIN

    @property
    def outer_height(self):
        return self.height + 2 * self.MARGIN


@dataclass
class CitationGraph:
    """The graph in two layouts (the template draws both; the stylesheet shows the one that fits) and
    in words."""

    wide: Drawing
    stacked: Drawing
    description: str = ""

    @property
    def centre(self):
        return self.wide.centre


def label(symbol):
    return symbol if len(symbol) <= LABEL_CHARACTERS else symbol[: LABEL_CHARACTERS - 1] + "\u2026"


def document_node(symbol, target):
    """A cited or citing document: a held resolution links to its page, any other to the UN's."""
    if target is not None:
        return Node(label(symbol), target.get_absolute_url(), f"{symbol}: {target.title}", held=True)
    return Node(label(symbol), un_document_url(symbol), _("%(symbol)s (not held here)") % {"symbol": symbol})


def citation_graph(
    resolution, cites, cites_count, cited_by, cited_by_count, cites_more_url, cited_by_more_url
):
    """The graph of ``resolution``: the documents it cites (``cites``, a few of its references), those
    citing it (``cited_by``, a few resolutions), itself between. Each side ends with "and N more"
    linking to the full list when it shows fewer than it counts."""

    def side(nodes, count, more_url):
        if count > len(nodes):
            more = count - len(nodes)
            nodes.append(
                Node(
                    ngettext("and %(more)s more", "and %(more)s more", more) % {"more": more},
                    more_url,
                    more=True,
                )
            )
        return nodes

    left = side([document_node(row.symbol, row.target) for row in cites], cites_count, cites_more_url)
    right = side([document_node(row.symbol, row) for row in cited_by], cited_by_count, cited_by_more_url)
    centre = Node(
        label(resolution.symbol),
        resolution.get_absolute_url(),
        f"{resolution.symbol}: {resolution.title}",
        held=True,
    )
    return CitationGraph(
        wide=wide_layout(centre, left, right),
        stacked=stacked_layout(centre, left, right),
        description=describe(resolution, cites, cites_count, cited_by, cited_by_count),
    )


def wide_layout(centre, left, right):
    """Three columns: what it cites on the left, itself in the middle, what cites it on the right,
    each centred against the tallest; an arrow for every citation."""
    rows = max(len(left), len(right), 1)

    def column(nodes, x):
        top = TOP + (rows - len(nodes)) * ROW_PITCH // 2
        return [node.at(x, top + index * ROW_PITCH, COLUMN_WIDTH) for index, node in enumerate(nodes)]

    middle_x, right_x = COLUMN_WIDTH + GUTTER, 2 * (COLUMN_WIDTH + GUTTER)
    left, right = column(left, 0), column(right, right_x)
    centre = column([centre], middle_x)[0]
    edges = [
        Edge(centre.x, centre.middle, node.x + node.width, node.middle) for node in left if not node.more
    ]
    edges += [
        Edge(node.x, node.middle, centre.x + centre.width, centre.middle) for node in right if not node.more
    ]
    headings = [
        Heading(COLUMN_WIDTH // 2, 18, _("It cites")),
        Heading(middle_x + COLUMN_WIDTH // 2, 18, _("Resolution")),
        Heading(right_x + COLUMN_WIDTH // 2, 18, _("Cited by")),
    ]
    return Drawing(centre, left, right, edges, headings, WIDTH, TOP + rows * ROW_PITCH)


def stacked_layout(centre, left, right):
    """For a narrow screen: what cites it on top, two a row, an arrow down to it, and an arrow down
    from it to what it cites, two a row ("and N more" on a row of its own)."""
    y, headings, edges = 0, [], []

    def block(nodes, heading):
        nonlocal y
        headings.append(Heading(STACKED_WIDTH // 2, y + 18, heading))
        y += TOP
        placed, slot = [], 0
        for node in nodes:
            if node.more:
                slot += slot % 2
                placed.append(node.at(0, y + slot // 2 * ROW_PITCH, STACKED_WIDTH))
                slot += 2
            else:
                x = slot % 2 * (STACKED_NODE_WIDTH + STACKED_GAP)
                placed.append(node.at(x, y + slot // 2 * ROW_PITCH, STACKED_NODE_WIDTH))
                slot += 1
        y += (slot + 1) // 2 * ROW_PITCH - (ROW_PITCH - NODE_HEIGHT)
        return placed

    def arrow():
        nonlocal y
        edges.append(
            Edge(STACKED_WIDTH // 2, y + 4, STACKED_WIDTH // 2, y + STACKED_ARROW - 4, straight=True)
        )
        y += STACKED_ARROW

    above = block(right, _("Cited by")) if right else []
    if above:
        arrow()
    centre = centre.at((STACKED_WIDTH - COLUMN_WIDTH) // 2, y, COLUMN_WIDTH)
    y += NODE_HEIGHT
    below = []
    if left:
        arrow()
        below = block(left, _("It cites"))
    return Drawing(centre, below, above, edges, headings, STACKED_WIDTH, y + 4)


def describe(resolution, cites, cites_count, cited_by, cited_by_count):
    """The graph in words, for its <desc>: what a screen reader says instead of drawing it."""
    held = sum(1 for reference in cites if reference.target is not None)
    if cites_count:
        values = {
            "symbol": resolution.symbol,
            "count": cites_count,
            "shown": len(cites),
            "held": held,
            "symbols": ", ".join(reference.symbol for reference in cites),
        }
        if cites_count > len(cites):
            said = ngettext(
                "%(symbol)s cites %(count)s document; the graph shows the first %(shown)s, %(held)s of them "
                "held here: %(symbols)s.",
                "%(symbol)s cites %(count)s documents; the graph shows the first %(shown)s, %(held)s of them "
                "held here: %(symbols)s.",
                cites_count,
            )
        else:
            said = ngettext(
                "%(symbol)s cites %(count)s document; the graph shows all, %(held)s of them held here: "
                "%(symbols)s.",
                "%(symbol)s cites %(count)s documents; the graph shows all, %(held)s of them held here: "
                "%(symbols)s.",
                cites_count,
            )
        said %= values
    else:
        said = _("%(symbol)s cites no document recorded here.") % {"symbol": resolution.symbol}
    if cited_by_count:
        values = {
            "count": cited_by_count,
            "shown": len(cited_by),
            "symbols": ", ".join(citing.symbol for citing in cited_by),
        }
        if cited_by_count > len(cited_by):
            more = ngettext(
                "%(count)s resolution held here cites it; the graph shows the newest %(shown)s: %(symbols)s.",
                "%(count)s resolutions held here cite it; the graph shows the newest %(shown)s: %(symbols)s.",
                cited_by_count,
            )
        else:
            more = ngettext(
                "%(count)s resolution held here cites it; the graph shows all: %(symbols)s.",
                "%(count)s resolutions held here cite it; the graph shows all: %(symbols)s.",
                cited_by_count,
            )
        said += " " + more % values
    else:
        said += " " + _("No resolution held here cites it.")
    return said
