package ui

import (
	"fmt"
	"strings"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/vouch-review/vouch/review"
)

// queuePane lists the commits to review, two rows each: decision, short sha
// and assistant; then the subject.
type queuePane struct {
	keys  QueueKeyMap
	q     *review.Queue
	items []review.Item // q.Items; decisions recorded here are appended in place
	// severity is the highest finding severity of each analysed commit
	// ("" when it has none); commits not analysed yet are absent.
	severity map[string]string
	cursor   int
	top      int // first visible item
	width    int
	height   int
}

const queueRowsPerItem = 2

func newQueuePane(keys QueueKeyMap, q *review.Queue) queuePane {
	return queuePane{keys: keys, q: q, items: q.Items, severity: map[string]string{}}
}

func (q *queuePane) SetSize(w, h int) {
	q.width, q.height = w, h
	q.follow()
}

func (q *queuePane) visibleItems() int { return max(1, (q.height-1)/queueRowsPerItem) }

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
	for _, it := range q.items {
		if it.State() != review.Undecided {
			decided++
		}
	}
	return decided, len(q.items)
}

func (q queuePane) View(st *Styles, focused bool) []string {
	lines := make([]string, 0, q.height)
	title := st.PaneTitle
	if focused {
		title = st.PaneTitleOn
	}
	decided, total := q.Progress()
	lines = append(lines, title.Render(fit(fmt.Sprintf("Queue %d/%d", q.cursor+1, total), q.width-8))+
		st.Dim.Render(fit(fmt.Sprintf(" ✓%d", decided), 8)))
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
		line1 := " " + it.Commit.Short() + " " + visible.String(who)
		line2 := "   " + visible.String(it.Commit.Subject())
		rowStyle := st.QueueRow
		if i == q.cursor {
			rowStyle = st.QueueSelected
			if focused {
				rowStyle = st.QueueCursor
			}
		}
		lines = append(lines, badge+sevMark+rowStyle.Render(pad(fit(line1, q.width-2), q.width-2)))
		lines = append(lines, rowStyle.Render(pad(fit(line2, q.width), q.width)))
	}
	for len(lines) < q.height {
		lines = append(lines, "")
	}
	return lines
}
