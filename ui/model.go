// Package ui is the review TUI: a root model owning size and focus, a queue
// pane, a diff pane and a comment box. It renders what review/ returns and
// sends the reviewer's decisions back through typed messages.
package ui

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/surface"
)

// Reviewer is what the TUI needs from a review session.
type Reviewer interface {
	Analyse(review.Item) (*review.Analysis, error)
	Decide(*review.Analysis, review.Decision) (ledger.Entry, error)
	// Check verifies a record of a commit against the trust anchors.
	Check(repo.Commit, ledger.Entry) review.RecordCheck
	Ref() string
	RequireComplete() bool
}

type focusArea int

const (
	focusDiff focusArea = iota
	focusChecklist
	focusQueue
	focusCount
)

type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusError
)

// analysisMsg carries a loaded commit back to the model.
type analysisMsg struct {
	sha        string
	a          *review.Analysis
	err        error
	background bool // read for the queue's badges, not for the screen
}

// decidedMsg carries the result of signing and recording a decision.
type decidedMsg struct {
	sha    string
	accept bool
	entry  ledger.Entry
	check  review.RecordCheck
	err    error
}

// cacheSize bounds how many analysed commits are kept; the current one and
// its neighbours are all that J/K need.
const cacheSize = 8

// Model is the root of the TUI.
type Model struct {
	rev    Reviewer
	keys   KeyMap
	styles Styles
	dark   bool
	title  string
	rangeS string

	width, height int
	focus         focusArea
	queue         queuePane
	diff          diffPane
	checklist     checklistPane
	md            *markdown
	ticks         map[string]review.Ticks // per commit
	help          help.Model
	showHelp      bool

	cache   map[string]*review.Analysis
	errs    map[string]error
	pending map[string]bool
	bgBusy  bool             // one background analysis at a time, so the screen's own loads come first
	used    map[string]int64 // last use tick, for eviction
	tick    int64

	comment      textinput.Model
	commenting   bool
	commentIsAcc bool
	signing      bool

	status     string
	statusKind statusKind

	// What the reviewer had on screen, for the record's coverage: the diff
	// lines of each hunk shown, and how long each commit was on screen.
	seen    map[string]map[[2]int32]map[int32]bool
	spent   map[string]time.Duration
	shown   string // the commit on screen since shownAt
	shownAt time.Time
}

// New builds the model over a queue. title names the repository.
func New(rev Reviewer, q *review.Queue, title string) Model {
	keys := DefaultKeyMap()
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 2000
	m := Model{
		rev:       rev,
		keys:      keys,
		dark:      true,
		title:     title,
		rangeS:    strings.Join(q.Range, " "),
		queue:     newQueuePane(keys.Queue, q),
		diff:      newDiffPane(keys.Diff),
		checklist: newChecklistPane(keys.Checklist),
		md:        newMarkdown(),
		ticks:     map[string]review.Ticks{},
		help:      help.New(),
		cache:     map[string]*review.Analysis{},
		errs:      map[string]error{},
		pending:   map[string]bool{},
		used:      map[string]int64{},
		comment:   ti,
		seen:      map[string]map[[2]int32]map[int32]bool{},
		spent:     map[string]time.Duration{},
	}
	m.setStyles(true)
	m.queue.Select(q.FirstUndecided())
	return m
}

func (m *Model) setStyles(dark bool) {
	m.dark = dark
	m.styles = NewStyles(dark)
	m.help.Styles = m.styles.Help
	cs := textinput.DefaultStyles(dark)
	m.comment.SetStyles(cs)
}

// Init asks for the background colour and loads the first commit.
func (m Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.loadCmd(m.queue.cursor))
}

func (m *Model) current() (review.Item, bool) {
	if len(m.queue.items) == 0 {
		return review.Item{}, false
	}
	return m.queue.items[m.queue.cursor], true
}

// loadCmd reads commit i in the background unless it is cached or on its way.
func (m *Model) loadCmd(i int) tea.Cmd {
	if i < 0 || i >= len(m.queue.items) {
		return nil
	}
	it := m.queue.items[i]
	sha := it.Commit.SHA
	if m.cache[sha] != nil || m.pending[sha] {
		return nil
	}
	m.pending[sha] = true
	rev := m.rev
	return func() tea.Msg {
		a, err := rev.Analyse(it)
		return analysisMsg{sha: sha, a: a, err: err}
	}
}

// badgeReach is how far from the cursor the background analysis goes: a
// queue of 10,000 commits (--all) is badged where the reviewer is, not
// analysed whole.
const badgeReach = 150

// backgroundCmd analyses the nearest commit of the queue that has no badge
// yet, so commits show their surface severity without being opened.
func (m *Model) backgroundCmd() tea.Cmd {
	if m.bgBusy {
		return nil
	}
	for d := 0; d <= badgeReach; d++ {
		for _, i := range []int{m.queue.cursor + d, m.queue.cursor - d} {
			if cmd := m.badgeCmd(i); cmd != nil {
				return cmd
			}
		}
	}
	return nil
}

// badgeCmd analyses commit i for its badge, unless it has one or is on its way.
func (m *Model) badgeCmd(i int) tea.Cmd {
	if i < 0 || i >= len(m.queue.items) {
		return nil
	}
	it := m.queue.items[i]
	sha := it.Commit.SHA
	if _, done := m.queue.severity[sha]; done || m.pending[sha] || m.errs[sha] != nil {
		return nil
	}
	m.bgBusy = true
	m.pending[sha] = true
	analyse := m.rev.Analyse
	// A session with git processes of its own for background work keeps
	// badges from delaying the commit on screen.
	if bg, ok := m.rev.(interface {
		AnalyseBackground(review.Item) (*review.Analysis, error)
	}); ok {
		analyse = bg.AnalyseBackground
	}
	return func() tea.Msg {
		a, err := analyse(it)
		return analysisMsg{sha: sha, a: a, err: err, background: true}
	}
}

// show puts the selected commit in the diff pane (or its loading state) and
// prepares its neighbours so J and K are instant.
func (m *Model) show() tea.Cmd {
	it, ok := m.current()
	if !ok {
		return nil
	}
	sha := it.Commit.SHA
	m.tick++
	m.used[sha] = m.tick
	if a := m.cache[sha]; a != nil {
		a.Item = it // decisions may have changed since it was loaded
		m.diff.SetAnalysis(a, false)
		m.checklist.Set(sha, a.Checklists, m.ticksFor(sha))
		if m.focus == focusChecklist && len(m.checklist.items) == 0 {
			m.focus = focusDiff
		}
		m.layout()
		return tea.Batch(m.checklist.renderCmd(m.md, m.dark), m.loadCmd(m.queue.cursor+1), m.loadCmd(m.queue.cursor-1))
	}
	m.diff.a = nil
	m.checklist.Set(sha, nil, m.ticksFor(sha))
	m.layout()
	return m.loadCmd(m.queue.cursor)
}

func (m *Model) ticksFor(sha string) review.Ticks {
	if m.ticks[sha] == nil {
		m.ticks[sha] = review.Ticks{}
	}
	return m.ticks[sha]
}

func (m *Model) evict() {
	for len(m.cache) > cacheSize {
		oldest, tick := "", int64(1<<62)
		cur, _ := m.current()
		for sha := range m.cache {
			if sha != cur.Commit.SHA && m.used[sha] < tick {
				oldest, tick = sha, m.used[sha]
			}
		}
		if oldest == "" {
			return
		}
		delete(m.cache, oldest)
		delete(m.used, oldest)
	}
}

func (m *Model) setStatus(kind statusKind, s string) {
	m.status, m.statusKind = s, kind
}

// Update routes messages: keys to the focused pane, results to whoever asked.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	next, cmd := m.update(msg)
	if nm, ok := next.(Model); ok {
		nm.noteSeen(time.Now())
		return nm, cmd
	}
	return next, cmd
}

// noteSeen records the diff lines now on screen and the time the current
// commit has been there.
func (m *Model) noteSeen(now time.Time) {
	it, ok := m.current()
	if !ok {
		return
	}
	sha := it.Commit.SHA
	if sha != m.shown {
		if m.shown != "" {
			m.spent[m.shown] += now.Sub(m.shownAt)
		}
		m.shown, m.shownAt = sha, now
	}
	if m.cache[sha] == nil || m.diff.a == nil || m.diff.a.Item.Commit.SHA != sha {
		return
	}
	hunks := m.seen[sha]
	if hunks == nil {
		hunks = map[[2]int32]map[int32]bool{}
		m.seen[sha] = hunks
	}
	m.diff.onScreen(func(file, hunk, line int32) {
		k := [2]int32{file, hunk}
		if hunks[k] == nil {
			hunks[k] = map[int32]bool{}
		}
		hunks[k][line] = true
	})
}

// coverage is what of a's diff has been on screen: a hunk counts when every
// one of its lines was shown at some point.
func (m *Model) coverage(a *review.Analysis, now time.Time) *ledger.Coverage {
	if a == nil {
		return nil
	}
	sha := a.Item.Commit.SHA
	c := &ledger.Coverage{}
	surf := surfaceHunks(a.Files, a.Findings)
	for fi, f := range a.Files {
		for hi, h := range f.Hunks {
			k := [2]int32{int32(fi), int32(hi)}
			whole := len(m.seen[sha][k]) >= len(h.Lines)
			_, isSurface := surf[k]
			c.Hunks++
			if whole {
				c.HunksSeen++
			}
			if isSurface {
				c.SurfaceHunks++
				if whole {
					c.SurfaceSeen++
				}
			}
		}
	}
	spent := m.spent[sha]
	if m.shown == sha {
		spent += now.Sub(m.shownAt)
	}
	c.Seconds = int(spent.Seconds())
	return c
}

func (m Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, m.checklist.renderCmd(m.md, m.dark)
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
		return m, m.checklist.renderCmd(m.md, m.dark)
	case checklistRenderedMsg:
		m.checklist.Rendered(msg, m.dark)
		return m, nil
	case analysisMsg:
		delete(m.pending, msg.sha)
		if msg.background {
			m.bgBusy = false
		}
		if msg.err != nil {
			m.errs[msg.sha] = msg.err
			if cur, ok := m.current(); ok && cur.Commit.SHA == msg.sha {
				m.setStatus(statusError, oneLine(msg.err.Error()))
			}
			return m, nil
		}
		m.queue.severity[msg.sha] = surface.MaxSeverity(msg.a.Findings)
		m.cache[msg.sha] = msg.a
		if msg.background {
			m.bgBusy = false
			m.used[msg.sha] = 0 // evicted before anything the reviewer looked at
		} else {
			m.tick++
			m.used[msg.sha] = m.tick
		}
		m.evict()
		if cur, ok := m.current(); ok && cur.Commit.SHA == msg.sha {
			return m, tea.Batch(m.show(), m.backgroundCmd())
		}
		return m, m.backgroundCmd()
	case decidedMsg:
		return m.decided(msg)
	case tea.MouseWheelMsg:
		return m.wheel(msg)
	case tea.PasteMsg:
		if m.commenting {
			var cmd tea.Cmd
			m.comment, cmd = m.comment.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	if m.commenting {
		var cmd tea.Cmd
		m.comment, cmd = m.comment.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if k.String() == "ctrl+c" {
		return m, tea.Quit
	}
	if m.commenting {
		return m.commentKey(k)
	}
	if m.showHelp {
		// Any key closes help; q still quits.
		m.showHelp = false
		if key.Matches(k, m.keys.Global.Quit) {
			return m, tea.Quit
		}
		return m, nil
	}
	g := m.keys.Global
	switch {
	case key.Matches(k, g.Quit):
		return m, tea.Quit
	case key.Matches(k, g.Help):
		m.showHelp = true
		return m, nil
	case key.Matches(k, g.Focus):
		step := focusArea(1)
		if k.String() == "shift+tab" {
			step = focusCount - 1
		}
		m.focus = (m.focus + step) % focusCount
		if m.focus == focusChecklist && len(m.checklist.items) == 0 {
			m.focus = (m.focus + step) % focusCount
		}
		return m, nil
	case key.Matches(k, g.NextCommit):
		return m.moveTo(m.queue.cursor + 1)
	case key.Matches(k, g.PrevCommit):
		return m.moveTo(m.queue.cursor - 1)
	case key.Matches(k, g.Accept), key.Matches(k, g.Reject):
		return m.openComment(key.Matches(k, g.Accept))
	case key.Matches(k, g.ReSign):
		return m.reSign()
	}
	if m.focus == focusQueue {
		q, changed, open := m.queue.Update(k)
		m.queue = q
		if open {
			m.focus = focusDiff
			return m, nil
		}
		if changed {
			m.setStatus(statusInfo, "")
			return m, m.show()
		}
		return m, nil
	}
	if m.focus == focusChecklist {
		var note string
		m.checklist, note = m.checklist.Update(k, &m.styles)
		if note != "" {
			m.setStatus(statusInfo, note)
		}
		return m, nil
	}
	if key.Matches(k, m.keys.Checklist.Tick) {
		m.setStatus(statusInfo, "tab to the checklist to tick its items")
		return m, nil
	}
	var note string
	m.diff, note = m.diff.Update(k)
	if note != "" {
		m.setStatus(statusInfo, note)
	}
	return m, nil
}

func (m Model) moveTo(i int) (tea.Model, tea.Cmd) {
	if i < 0 {
		m.setStatus(statusInfo, "first commit of the queue")
		return m, nil
	}
	if i >= len(m.queue.items) {
		m.setStatus(statusInfo, "last commit of the queue")
		return m, nil
	}
	m.queue.Select(i)
	m.setStatus(statusInfo, "")
	return m, m.show()
}

func (m Model) openComment(accept bool) (tea.Model, tea.Cmd) {
	it, ok := m.current()
	if !ok {
		return m, nil
	}
	if m.signing {
		m.setStatus(statusInfo, "still signing the last decision…")
		return m, nil
	}
	if m.cache[it.Commit.SHA] == nil {
		if err := m.errs[it.Commit.SHA]; err != nil {
			m.setStatus(statusError, "cannot decide: "+oneLine(err.Error()))
		} else {
			m.setStatus(statusInfo, "the diff is still loading; decide once you have read it")
		}
		return m, nil
	}
	if accept && m.rev.RequireComplete() {
		if ticked, total := m.checklist.Progress(); ticked < total {
			m.setStatus(statusError, fmt.Sprintf("checklists must be complete to accept: %d of %d ticked (r rejects)", ticked, total))
			return m, nil
		}
	}
	m.commenting = true
	m.commentIsAcc = accept
	m.comment.Reset()
	if accept {
		m.comment.Placeholder = "optional comment"
	} else {
		m.comment.Placeholder = "why is it rejected? (required)"
	}
	m.setStatus(statusInfo, "")
	m.layout()
	return m, m.comment.Focus()
}

// reSign records, in one key press, an accept of this commit that carries
// over an earlier accept of the same patch on a commit a rebase replaced.
func (m Model) reSign() (tea.Model, tea.Cmd) {
	it, ok := m.current()
	a := m.cache[it.Commit.SHA]
	if !ok || a == nil || m.signing {
		return m, nil
	}
	// Only an accept that verifies is offered: re-signing a forged one
	// would make it real.
	var from *ledger.Entry
	for i := range a.CarriedOver {
		if c := a.CarriedOver[i]; c.Check.Verified && c.Entry.Payload.Decision == "accept" {
			from = &a.CarriedOver[i].Entry
		}
	}
	if from == nil || it.State() != review.Undecided {
		m.setStatus(statusInfo, "no verified earlier accept of this patch to re-sign")
		return m, nil
	}
	if m.rev.RequireComplete() {
		if ticked, total := m.checklist.Progress(); ticked < total {
			m.setStatus(statusError, fmt.Sprintf("checklists must be complete to accept: %d of %d ticked", ticked, total))
			return m, nil
		}
	}
	m.signing = true
	rev, sha := m.rev, it.Commit.SHA
	comment := "re-signed: the same patch was accepted as " + shortSHA(from.Payload.Commit) + " by " + from.Payload.Reviewer.Email
	ticks := copyTicks(m.ticksFor(sha))
	coverage := m.coverage(a, time.Now())
	m.setStatus(statusInfo, "signing accept of "+it.Commit.Short()+"…")
	return m, func() tea.Msg {
		e, err := rev.Decide(a, review.Decision{Accept: true, Comment: comment, Via: "tui", Ticks: ticks, Coverage: coverage})
		if err != nil {
			return decidedMsg{sha: sha, accept: true, err: err}
		}
		return decidedMsg{sha: sha, accept: true, entry: e, check: rev.Check(a.Item.Commit, e)}
	}
}

func (m Model) commentKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	switch {
	case key.Matches(k, m.keys.Comment.Cancel):
		m.commenting = false
		m.comment.Blur()
		m.setStatus(statusInfo, "decision cancelled")
		m.layout()
		return m, nil
	case key.Matches(k, m.keys.Comment.Record):
		text := strings.TrimSpace(m.comment.Value())
		if !m.commentIsAcc && text == "" {
			m.setStatus(statusError, "a reject needs a comment saying why")
			return m, nil
		}
		it, _ := m.current()
		a := m.cache[it.Commit.SHA]
		m.commenting = false
		m.comment.Blur()
		m.signing = true
		m.layout()
		verb := "accept"
		if !m.commentIsAcc {
			verb = "reject"
		}
		m.setStatus(statusInfo, "signing "+verb+" of "+it.Commit.Short()+"…")
		rev, accept, sha := m.rev, m.commentIsAcc, it.Commit.SHA
		ticks := copyTicks(m.ticksFor(sha))
		coverage := m.coverage(a, time.Now())
		return m, func() tea.Msg {
			e, err := rev.Decide(a, review.Decision{Accept: accept, Comment: text, Via: "tui", Ticks: ticks, Coverage: coverage})
			if err != nil {
				return decidedMsg{sha: sha, accept: accept, err: err}
			}
			return decidedMsg{sha: sha, accept: accept, entry: e, check: rev.Check(a.Item.Commit, e)}
		}
	}
	var cmd tea.Cmd
	m.comment, cmd = m.comment.Update(k)
	return m, cmd
}

// copyTicks is the ticks a signing goroutine gets: its own copy, so that
// ticking on while a key waits for a touch writes nothing it reads.
func copyTicks(t review.Ticks) review.Ticks {
	out := review.Ticks{}
	for id, items := range t {
		out[id] = map[int]bool{}
		for i, v := range items {
			out[id][i] = v
		}
	}
	return out
}

func (m Model) decided(msg decidedMsg) (tea.Model, tea.Cmd) {
	m.signing = false
	if msg.err != nil {
		m.setStatus(statusError, "not recorded: "+oneLine(msg.err.Error()))
		return m, nil
	}
	idx := -1
	for i := range m.queue.items {
		if m.queue.items[i].Commit.SHA == msg.sha {
			m.queue.items[i] = m.queue.items[i].WithRecord(msg.entry, msg.check)
			idx = i
		}
	}
	if a := m.cache[msg.sha]; a != nil && idx >= 0 {
		// A new analysis value: a signing goroutine may still hold the old.
		cp := *a
		cp.Item = m.queue.items[idx]
		m.cache[msg.sha] = &cp
	}
	verb := "accepted"
	if !msg.accept {
		verb = "rejected"
	}
	short := msg.sha
	if len(short) > 8 {
		short = short[:8]
	}
	done := fmt.Sprintf("%s %s, signed into %s", verb, short, m.rev.Ref())
	next := m.queue.q.NextUndecided(idx)
	if idx < 0 || next == idx {
		m.setStatus(statusOK, done+" · every commit in the queue is decided (q quits)")
		if idx >= 0 && m.queue.cursor == idx {
			if a := m.cache[msg.sha]; a != nil {
				m.diff.SetAnalysis(a, true)
			}
		}
		return m, nil
	}
	m.setStatus(statusOK, done)
	m.queue.Select(next)
	return m, m.show()
}

func (m Model) wheel(msg tea.MouseWheelMsg) (tea.Model, tea.Cmd) {
	mouse := msg.Mouse()
	delta := 0
	switch mouse.Button {
	case tea.MouseWheelDown:
		delta = 3
	case tea.MouseWheelUp:
		delta = -3
	default:
		return m, nil
	}
	if mouse.X < m.queue.width && !m.showHelp {
		if delta > 0 {
			return m.moveTo(m.queue.cursor + 1)
		}
		return m.moveTo(m.queue.cursor - 1)
	}
	m.diff.scroll(delta)
	return m, nil
}

// Layout: a title row, the panes, then one status row and one help row.
// The comment box takes two rows above the status row while it is open.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	bodyH := m.height - 3
	if m.commenting {
		bodyH -= 2
	}
	bodyH = max(bodyH, 3)
	qw := min(40, max(22, m.width/4))
	m.queue.SetSize(qw, bodyH)
	rw := max(10, m.width-qw-1)
	clH := 0
	if len(m.checklist.items) > 0 {
		// The diff comes first: the checklist takes two fifths of a tall
		// screen, a third of a short one.
		share := bodyH * 2 / 5
		if bodyH < 30 {
			share = bodyH / 3
		}
		clH = min(max(5, share), bodyH-4)
	}
	m.diff.SetSize(rw, bodyH-clH)
	m.checklist.SetSize(rw, clH)
	m.help.SetWidth(m.width)
	m.comment.SetWidth(max(10, m.width-4))
}

// View lays out what is cached; nothing slow happens here.
func (m Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	return v
}

func (m Model) render() string {
	if m.width == 0 || m.height == 0 {
		return "loading…"
	}
	st := &m.styles
	lines := make([]string, 0, m.height)
	decided, total := m.queue.Progress()
	head := st.Title.Render(" vouch ") + st.TitleDim.Render(fit(fmt.Sprintf("%s · %s · %d/%d · %d decided", visible.String(m.title), visible.String(m.rangeS), m.queue.cursor+1, total, decided), m.width-7))
	lines = append(lines, head)

	bodyH := m.queue.height
	if m.showHelp {
		helpLines := strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")
		body := append([]string{st.PaneTitleOn.Render("Keys"), ""}, helpLines...)
		body = append(body, "", st.Dim.Render("Any key closes this help."))
		for i := 0; i < bodyH; i++ {
			if i < len(body) {
				lines = append(lines, " "+body[i])
			} else {
				lines = append(lines, "")
			}
		}
	} else {
		loading := ""
		if it, ok := m.current(); ok {
			if err := m.errs[it.Commit.SHA]; err != nil && m.cache[it.Commit.SHA] == nil {
				loading = "cannot read this commit: " + oneLine(err.Error())
			} else if m.cache[it.Commit.SHA] == nil {
				loading = "loading diff…"
			}
		}
		title := ""
		if it, ok := m.current(); ok {
			title = it.Commit.Short() + " " + visible.String(it.Commit.Subject())
		}
		left := m.queue.View(st, m.focus == focusQueue)
		right := m.diff.View(st, m.focus == focusDiff, title, loading)
		if m.checklist.height > 0 {
			right = append(right[:min(len(right), m.diff.height+diffHeaderRows)], m.checklist.View(st, m.focus == focusChecklist)...)
		}
		sep := st.Separator.Render("│")
		for i := 0; i < bodyH; i++ {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			lines = append(lines, padStyled(l, m.queue.width)+sep+r)
		}
	}
	if m.commenting {
		verb := "Accept"
		if !m.commentIsAcc {
			verb = "Reject"
		}
		it, _ := m.current()
		lines = append(lines, st.CommentLabel.Render(fit(fmt.Sprintf(" %s %s · enter records (signed) · esc cancels", verb, it.Commit.Short()), m.width)))
		lines = append(lines, " "+m.comment.View())
	}
	status := m.status
	style := st.Status
	switch m.statusKind {
	case statusError:
		style = st.StatusError
	case statusOK:
		style = st.StatusOK
	}
	lines = append(lines, style.Render(fit(" "+status, m.width)))
	lines = append(lines, " "+m.help.ShortHelpView(m.keys.ShortHelp()))
	for i, l := range lines {
		if lipgloss.Width(l) > m.width {
			lines[i] = truncateStyled(l, m.width)
		}
	}
	if len(lines) > m.height {
		lines = lines[:m.height]
	}
	return strings.Join(lines, "\n")
}

// Options adjust the program.
type Options struct {
	NoColor bool
}

// RepoTitle is how the title bar names a repository.
func RepoTitle(dir string) string { return filepath.Base(dir) }

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return visible.String(s)
}
