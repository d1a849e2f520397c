package ui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/vouch-review/vouch/review"
)

// queuePane lists the commits to review: decision, severity, short sha and
// subject on one row when the screen is small, with the assistant on a row
// of its own when there is room.
type queuePane struct {
	keys  QueueKeyMap
	items []review.Item // the queue's own copy: a decision replaces an item, never writes into the domain's slice
	// severity is the highest finding severity of each analysed commit
	// ("" when it has none); commits not analysed yet are absent.
	severity map[string]string
	cursor   int
	top      int // first visible item
	width    int
	height   int
}

func newQueuePane(keys QueueKeyMap, q *review.Queue) queuePane {
	return queuePane{keys: keys, items: slices.Clone(q.Items), severity: map[string]string{}}
}

func (q *queuePane) SetSize(w, h int) {
	q.width, q.height = w, h
	q.follow()
}

// rowsPerItem is two on a large screen (sha and assistant, then subject),
// one otherwise.
func (q *queuePane) rowsPerItem() int {
	if q.width >= 34 && q.height >= 36 {
		return 2
	}
	return 1
}

func (q *queuePane) visibleItems() int { return max(1, (q.height-1)/q.rowsPerItem()) }

// At is the item shown on body row y (0 is the pane's title row).
func (q *queuePane) At(y int) (int, bool) {
	if y < 1 {
		return 0, false
	}
	i := q.top + (y-1)/q.rowsPerItem()
	return i, i < len(q.items) && i < q.top+q.visibleItems()
}

// Replace puts a new value of a commit's item in the queue (after a
// decision) and returns its index, or -1.
func (q *queuePane) Replace(it review.Item) int {
	for i := range q.items {
		if q.items[i].Commit.SHA == it.Commit.SHA {
			q.items = slices.Clone(q.items)
			q.items[i] = it
			return i
		}
	}
	return -1
}

// NextUndecided is the first undecided commit after from, wrapping around;
// from itself when every commit is decided.
func (q *queuePane) NextUndecided(from int) int {
	return (&review.Queue{Items: q.items}).NextUndecided(from)
}

// Select moves the cursor, keeping it on screen.
func (q *queuePane) Select(i int) {
	if len(q.items) == 0 {
		return
	}
	q.cursor = min(max(i, 0), len(q.items)-1)
	q.follow()
}

func (q *queuePane) follow() {
	n := q.visibleItems()
	if q.cursor < q.top {
		q.top = q.cursor
	}
	if q.cursor >= q.top+n {
		q.top = q.cursor - n + 1
	}
	q.top = max(0, min(q.top, len(q.items)-n))
}

// Update moves the cursor; it reports whether the selection changed or
// enter asked to open the commit.
func (q queuePane) Update(msg tea.Msg) (queuePane, bool, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return q, false, false
	}
	old := q.cursor
	switch {
	case key.Matches(k, q.keys.Down):
		q.Select(q.cursor + 1)
	case key.Matches(k, q.keys.Up):
		q.Select(q.cursor - 1)
	case key.Matches(k, q.keys.Top):
		q.Select(0)
	case key.Matches(k, q.keys.Bottom):
		q.Select(len(q.items) - 1)
	case key.Matches(k, q.keys.Open):
		return q, false, true
	}
	return q, q.cursor != old, false
}

// Progress is "decided/total".
func (q queuePane) Progress() (decided, total int) {
	acc, rej, open := q.Counts()
	return acc + rej, acc + rej + open
}

// Counts is how many commits are accepted, rejected and still open.
func (q queuePane) Counts() (accepted, rejected, open int) {
	for _, it := range q.items {
		switch it.State() {
		case review.Accepted:
			accepted++
		case review.Rejected:
			rejected++
		default:
			open++
		}
	}
	return accepted, rejected, open
}

func (q queuePane) View(st *Styles, focused bool) []string {
	lines := make([]string, 0, q.height)
	title := st.PaneTitle
	if focused {
		title = st.PaneTitleOn
	}
	acc, rej, open := q.Counts()
	head := fmt.Sprintf("Queue %d/%d", q.cursor+1, len(q.items))
	if focused {
		head = "▌" + head
	}
	counts := fmt.Sprintf(" ✓%d ✗%d ·%d", acc, rej, open)
	lines = append(lines, title.Render(head)+st.Dim.Render(fit(counts, max(0, q.width-ansi.StringWidth(head)))))
	end := min(len(q.items), q.top+q.visibleItems())
	for i := q.top; i < end; i++ {
		it := q.items[i]
		badge := st.Undecided.Render("·")
		switch it.State() {
		case review.Accepted:
			badge = st.Accepted.Render("✓")
		case review.Rejected:
			badge = st.Rejected.Render("✗")
		}
		who := strings.Join(it.Assistants(), ", ")
		if who == "" {
			who = "human"
		}
		sevMark := st.Dim.Render("…")
		if sev, ok := q.severity[it.Commit.SHA]; ok {
			sevMark = " "
			if sev != "" {
				sevMark = st.Severity(sev).Render("●")
			}
		}
		rowStyle := st.QueueRow
		if i == q.cursor {
			rowStyle = st.QueueSelected
			if focused {
				rowStyle = st.QueueCursor
			}
		}
		if q.rowsPerItem() == 1 {
			line := " " + it.Commit.Short() + " " + visible.String(it.Commit.Subject())
			lines = append(lines, badge+sevMark+rowStyle.Render(pad(fit(line, q.width-2), q.width-2)))
			continue
		}
		line1 := " " + it.Commit.Short() + " " + visible.String(who)
		line2 := "   " + visible.String(it.Commit.Subject())
		lines = append(lines, badge+sevMark+rowStyle.Render(pad(fit(line1, q.width-2), q.width-2)))
		lines = append(lines, rowStyle.Render(pad(fit(line2, q.width), q.width)))
	}
	// The legend, when the queue leaves a row free below it.
	accW, rejW := " accepted · ", " rejected · "
	if q.width < 34 {
		accW, rejW = " acc · ", " rej · "
	}
	legend := st.Accepted.Render("✓") + st.Dim.Render(accW) + st.Rejected.Render("✗") + st.Dim.Render(rejW) + st.Undecided.Render("·") + st.Dim.Render(" open")
	for len(lines) < q.height-1 {
		lines = append(lines, "")
	}
	if len(lines) < q.height {
		if len(lines) > 1+(end-q.top)*q.rowsPerItem() {
			lines = append(lines, truncateStyled(legend, q.width))
		} else {
			lines = append(lines, "")
		}
	}
	return lines
}
