"""A resolution's citations: the documents it cites and the resolutions held here that cite it, read
once for its citations page and the API, and drawn as a small graph laid out here, server-side (the
template writes it as SVG: no script, no graph library, the same picture in every browser)."""

from dataclasses import dataclass, field

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
LABEL_CHARACTERS = 24  # what fits in a node at the font size the template uses
WIDTH = 3 * COLUMN_WIDTH + 2 * GUTTER


@dataclass
class Node:
    label: str
    href: str
    x: int
    y: int
    title: str = ""  # a tooltip: the symbol and, for a held resolution, its title
    held: bool = False  # a resolution held here (its page), else the UN's document link
    more: bool = False  # "and 280 more", linking to the full list
    width: int = COLUMN_WIDTH
    height: int = NODE_HEIGHT

    @property
    def middle(self):
        return self.y + self.height // 2

    @property
    def text_x(self):
        return self.x + self.width // 2


@dataclass
class Edge:
    """A citation, drawn from the citing document to the cited one as a curve."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def path(self):
        bend = (self.x2 - self.x1) // 2
        return (
            f"M{self.x1},{self.y1} C{self.x1 + bend},{self.y1} {self.x2 - bend},{self.y2} {self.x2},{self.y2}"
        )


@dataclass
class CitationGraph:
    centre: Node
    cites: list[Node] = field(default_factory=list)
    cited_by: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    width: int = WIDTH
    height: int = 0
    description: str = ""


def label(symbol):
    return symbol if len(symbol) <= LABEL_CHARACTERS else symbol[: LABEL_CHARACTERS - 1] + "\u2026"


def document_node(symbol, target, x, y):
    """A cited or citing document: a held resolution links to its page, any other to the UN's."""
    if target is not None:
        return Node(label(symbol), target.get_absolute_url(), x, y, f"{symbol}: {target.title}", held=True)
    return Node(label(symbol), un_document_url(symbol), x, y, f"{symbol} (not held here)")


def citation_graph(
    resolution, cites, cites_count, cited_by, cited_by_count, cites_more_url, cited_by_more_url
):
    """The graph of ``resolution``: the documents it cites in a column on the left (``cites``, a few
    references), those citing it on the right (``cited_by``, a few resolutions), itself between.
    Each column ends with "and N more" linking to the full list when it shows fewer than it counts."""

    def column(rows, count, x, node, more_url):
        nodes = [node(row, x, TOP + index * ROW_PITCH) for index, row in enumerate(rows)]
        if count > len(rows):
            nodes.append(
                Node(f"and {count - len(rows)} more", more_url, x, TOP + len(rows) * ROW_PITCH, more=True)
            )
        return nodes

    left = column(
        cites, cites_count, 0, lambda row, x, y: document_node(row.symbol, row.target, x, y), cites_more_url
    )
    right_x = 2 * (COLUMN_WIDTH + GUTTER)
    right = column(
        cited_by,
        cited_by_count,
        right_x,
        lambda row, x, y: document_node(row.symbol, row, x, y),
        cited_by_more_url,
    )
    rows = max(len(left), len(right), 1)
    height = TOP + rows * ROW_PITCH
    centre = Node(
        label(resolution.symbol),
        resolution.get_absolute_url(),
        COLUMN_WIDTH + GUTTER,
        TOP + ((rows - 1) * ROW_PITCH) // 2,
        f"{resolution.symbol}: {resolution.title}",
        held=True,
    )
    edges = [
        Edge(centre.x, centre.middle, node.x + node.width, node.middle) for node in left if not node.more
    ] + [Edge(node.x, node.middle, centre.x + centre.width, centre.middle) for node in right if not node.more]
    return CitationGraph(
        centre=centre,
        cites=left,
        cited_by=right,
        edges=edges,
        height=height,
        description=describe(resolution, cites, cites_count, cited_by, cited_by_count),
    )


def describe(resolution, cites, cites_count, cited_by, cited_by_count):
    """The graph in words, for its <desc>: what a screen reader says instead of drawing it."""
    held = sum(1 for reference in cites if reference.target is not None)
    if cites_count:
        shown = f"the first {len(cites)}" if cites_count > len(cites) else "all"
        said = (
            f"{resolution.symbol} cites {cites_count} document{'s' if cites_count != 1 else ''}; "
            f"the graph shows {shown}, {held} of them held here: "
            + ", ".join(reference.symbol for reference in cites)
            + "."
        )
    else:
        said = f"{resolution.symbol} cites no document recorded here."
    if cited_by_count:
        shown = f"the newest {len(cited_by)}" if cited_by_count > len(cited_by) else "all"
        said += (
            f" {cited_by_count} resolution{'s' if cited_by_count != 1 else ''} held here cite"
            f"{'s' if cited_by_count == 1 else ''} it; the graph shows {shown}: "
            + ", ".join(citing.symbol for citing in cited_by)
            + "."
        )
    else:
        said += " No resolution held here cites it."
    return said
