// Package ui is the review TUI: a root model owning size and focus, a queue
// pane, a diff pane and a comment box. It renders what review/ returns and
// sends the reviewer's decisions back through typed messages.
package ui

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/review"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/surface"
)

// Reviewer is what the TUI needs from a review session.
type Reviewer interface {
	Analyse(review.Item) (*review.Analysis, error)
	// Decide records a decision and returns the commit's item with it.
	Decide(*review.Analysis, review.Decision) (review.Item, ledger.Entry, error)
	// Ready says whether decisions can be signed now, and how to fix it.
	Ready() error
	// Drafts keeps ticks per commit until a decision is recorded.
	Drafts() *review.Drafts
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

// decidedMsg carries the result of signing and recording a decision: the
// commit's item with its new record, which replaces the queue's.
type decidedMsg struct {
	sha    string
	accept bool
	item   review.Item
	err    error
}

// readyMsg says whether decisions can be signed, checked at start.
type readyMsg struct{ err error }

// draftMsg carries a commit's saved ticks; savedMsg reports a failed save.
type draftMsg struct {
	sha   string
	ticks review.Ticks
	err   error
}

type savedMsg struct{ err error }

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
	ticks         map[string]review.Ticks // per commit; each value is replaced, never edited
	drafted       map[string]bool         // commits whose saved draft has been read
	help          help.Model
	showHelp      bool
	helpOffset    int // rows of help scrolled past, when it is taller than the screen

	cache   analysisCache
	comment commentBox
	signing bool

	status     string
	statusKind statusKind
	notReady   string // why decisions cannot be signed, from Ready at start

	// What the reviewer had on screen, for the record's coverage: the diff
	// lines of each hunk shown, and how long each commit was on screen.
	// firstParent holds, for a merge the reviewer switched with m, its
	// diff against the first parent; nil entries are loading.
	firstParent map[string]*review.Analysis
	mergeView   map[string]bool // the merge is shown by its first-parent diff

	seen    map[string]map[[2]int32]map[int32]bool
	spent   map[string]time.Duration
	shown   string // the commit on screen since shownAt
	shownAt time.Time
}

// New builds the model over a queue. title names the repository.
func New(rev Reviewer, q *review.Queue, title string) Model {
	keys := DefaultKeyMap()
	m := Model{
		rev:         rev,
		keys:        keys,
		dark:        true,
		title:       title,
		rangeS:      strings.Join(q.Range, " "),
		queue:       newQueuePane(keys.Queue, q),
		diff:        newDiffPane(keys.Diff),
		checklist:   newChecklistPane(keys.Checklist),
		md:          newMarkdown(),
		ticks:       map[string]review.Ticks{},
		drafted:     map[string]bool{},
		help:        help.New(),
		cache:       newAnalysisCache(cacheSize),
		comment:     newCommentBox(keys.Comment),
		seen:        map[string]map[[2]int32]map[int32]bool{},
		firstParent: map[string]*review.Analysis{},
		mergeView:   map[string]bool{},
		spent:       map[string]time.Duration{},
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
	m.comment.input.SetStyles(cs)
}

// Init asks for the background colour, loads the first commit and checks
// that decisions can be signed.
func (m Model) Init() tea.Cmd {
	rev := m.rev
	return tea.Batch(tea.RequestBackgroundColor, m.loadCmd(m.queue.cursor), func() tea.Msg { return readyMsg{rev.Ready()} })
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
	return m.cache.load(m.rev, m.queue.items[i], false)
}

// badgeReach is how far from the cursor the background analysis goes: a
// queue of 10,000 commits (--all) is badged where the reviewer is, not
// analysed whole.
const badgeReach = 150

// backgroundCmd analyses the nearest commit of the queue that has no badge
// yet, so commits show their surface severity without being opened.
func (m *Model) backgroundCmd() tea.Cmd {
	if m.cache.bgBusy {
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
	if _, done := m.queue.severity[it.Commit.SHA]; done {
		return nil
	}
	return m.cache.load(m.rev, it, true)
}

// show puts the selected commit in the diff pane (or its loading state) and
// prepares its neighbours so J and K are instant.
func (m *Model) show() tea.Cmd {
	it, ok := m.current()
	if !ok {
		return nil
	}
	sha := it.Commit.SHA
	m.cache.touch(sha)
	m.keys.Diff.MergeView.SetEnabled(len(it.Commit.Parents) > 1 && m.canFirstParent())
	if fp := m.firstParent[sha]; m.mergeView[sha] && fp != nil {
		// The merge against its first parent: what the merged branch brought.
		cp := *fp
		cp.Item = it
		m.diff.SetAnalysis(&cp, m.diff.a != nil && m.diff.a.Item.Commit.SHA == sha)
		m.layout()
		return nil
	}
	if a := m.cache.get(sha); a != nil {
		if !sameRecords(a.Item, it) {
			// Decisions changed since it was loaded: a new value, since a
			// signing goroutine may hold the old one.
			cp := *a
			cp.Item = it
			a = &cp
			m.cache.replace(sha, a)
		}
		m.diff.SetAnalysis(a, m.diff.a != nil && m.diff.a.Item.Commit.SHA == sha)
		m.diff.looks = m.cache.looksFor(sha, m.dark)
		m.checklist.Set(sha, a.Checklists, m.ticks[sha])
		if m.focus == focusChecklist && len(m.checklist.items) == 0 {
			m.focus = focusDiff
		}
		m.layout()
		return tea.Batch(m.cache.highlight(a, m.dark), m.checklist.renderCmd(m.md, m.dark), m.draftCmd(a), m.loadCmd(m.queue.cursor+1), m.loadCmd(m.queue.cursor-1))
	}
	m.diff.a = nil
	m.checklist.Set(sha, nil, m.ticks[sha])
	m.layout()
	return m.loadCmd(m.queue.cursor)
}

func sameRecords(a, b review.Item) bool {
	return len(a.Records) == len(b.Records) && len(a.Checks) == len(b.Checks)
}

// draftCmd reads the commit's saved ticks once, off the event loop.
func (m *Model) draftCmd(a *review.Analysis) tea.Cmd {
	sha := a.Item.Commit.SHA
	if m.drafted[sha] || len(a.Checklists) == 0 {
		return nil
	}
	m.drafted[sha] = true
	d := m.rev.Drafts()
	return func() tea.Msg {
		t, err := d.Load(a)
		return draftMsg{sha: sha, ticks: t, err: err}
	}
}

// saveDraftCmd writes the commit's ticks; the goroutine gets its own copy.
func (m *Model) saveDraftCmd(a *review.Analysis, t review.Ticks) tea.Cmd {
	if a == nil {
		return nil
	}
	d, t := m.rev.Drafts(), copyTicks(t)
	return func() tea.Msg { return savedMsg{d.Save(a, t)} }
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
	if m.cache.get(sha) == nil || m.diff.a == nil || m.diff.a.Item.Commit.SHA != sha || m.mergeView[sha] {
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
	surf := surfaceHunks(a.Files, marked(a.Findings))
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
		var hl tea.Cmd
		if m.diff.a != nil {
			m.diff.looks = m.cache.looksFor(m.diff.a.Item.Commit.SHA, m.dark)
			hl = m.cache.highlight(m.diff.a, m.dark)
		}
		return m, tea.Batch(hl, m.checklist.renderCmd(m.md, m.dark))
	case checklistRenderedMsg:
		m.checklist.Rendered(msg, m.dark)
		return m, nil
	case highlightMsg:
		if m.cache.lit(msg) && m.diff.a != nil && m.diff.a.Item.Commit.SHA == msg.sha && msg.dark == m.dark {
			m.diff.looks = msg.files
		}
		return m, nil
	case readyMsg:
		if msg.err != nil {
			m.notReady = oneLine(msg.err.Error())
			if m.status == "" {
				m.setStatus(statusError, "decisions cannot be signed yet: "+m.notReady)
			}
		}
		return m, nil
	case draftMsg:
		if msg.err != nil {
			m.setStatus(statusError, oneLine(msg.err.Error()))
			return m, nil
		}
		if len(msg.ticks) > 0 && len(m.ticks[msg.sha]) == 0 {
			m.ticks[msg.sha] = msg.ticks
			if cur, ok := m.current(); ok && cur.Commit.SHA == msg.sha {
				m.checklist.ticks = msg.ticks
			}
		}
		return m, nil
	case savedMsg:
		if msg.err != nil {
			m.setStatus(statusError, oneLine(msg.err.Error()))
		}
		return m, nil
	case analysisMsg:
		cur, _ := m.current()
		if !m.cache.arrived(msg, cur.Commit.SHA) {
			if cur.Commit.SHA == msg.sha {
				m.setStatus(statusError, oneLine(msg.err.Error()))
			}
			return m, m.backgroundCmd()
		}
		m.queue.severity[msg.sha] = surface.MaxSeverity(marked(msg.a.Findings))
		if cur.Commit.SHA == msg.sha {
			return m, tea.Batch(m.show(), m.backgroundCmd())
		}
		return m, m.backgroundCmd()
	case decidedMsg:
		return m.decided(msg)
	case firstParentMsg:
		if msg.err != nil {
			delete(m.mergeView, msg.sha)
			m.setStatus(statusError, oneLine(msg.err.Error()))
			return m, nil
		}
		m.firstParent[msg.sha] = msg.a
		return m, m.show()
	case tea.MouseWheelMsg:
		return m.wheel(msg)
	case tea.MouseClickMsg:
		return m.click(msg)
	case tea.PasteMsg:
		if m.comment.open {
			var cmd tea.Cmd
			m.comment, _, cmd = m.comment.Update(msg)
			return m, cmd
		}
		return m, nil
	case tea.KeyPressMsg:
		return m.key(msg)
	}
	if m.comment.open {
		var cmd tea.Cmd
		m.comment, _, cmd = m.comment.Update(msg)
		return m, cmd
	}
	return m, nil
}

func (m Model) key(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if k.String() == "ctrl+c" {
		return m, tea.Quit
	}
	if m.comment.open {
		return m.commentKey(k)
	}
	if m.showHelp {
		// j/k scroll a help taller than the screen; any other key closes
		// it, and q still quits.
		if over := len(m.helpBody()) - m.queue.height; over > 0 {
			switch {
			case key.Matches(k, m.keys.Diff.Down):
				m.helpOffset = min(m.helpOffset+1, over)
				return m, nil
			case key.Matches(k, m.keys.Diff.Up):
				m.helpOffset = max(m.helpOffset-1, 0)
				return m, nil
			}
		}
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
		m.showHelp, m.helpOffset = true, 0
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
	case key.Matches(k, m.keys.Checklist.Collapse), key.Matches(k, m.keys.Checklist.Zoom):
		return m.sizeChecklist(key.Matches(k, m.keys.Checklist.Zoom))
	case key.Matches(k, m.keys.Diff.MergeView):
		return m.toggleMergeView()
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
		var changed bool
		m.checklist, note, changed = m.checklist.Update(k, &m.styles)
		if note != "" {
			m.setStatus(statusInfo, note)
		}
		if changed {
			sha := m.checklist.sha
			m.ticks[sha] = m.checklist.ticks
			return m, m.saveDraftCmd(m.cache.get(sha), m.ticks[sha])
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

// sizeChecklist collapses the checklist pane to its title row or zooms it
// to most of the screen; the same key again restores the default.
func (m Model) sizeChecklist(zoom bool) (tea.Model, tea.Cmd) {
	if len(m.checklist.items) == 0 {
		m.setStatus(statusInfo, "this commit calls for no checklist")
		return m, nil
	}
	if zoom {
		m.checklist.zoomed = !m.checklist.zoomed
		m.checklist.collapsed = false
		if m.checklist.zoomed {
			m.focus = focusChecklist
		}
	} else {
		m.checklist.collapsed = !m.checklist.collapsed
		m.checklist.zoomed = false
		if m.checklist.collapsed && m.focus == focusChecklist {
			m.focus = focusDiff
		}
	}
	m.layout()
	m.checklist.follow(&m.styles)
	return m, nil
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
	if m.cache.get(it.Commit.SHA) == nil {
		if err := m.cache.errs[it.Commit.SHA]; err != nil {
			m.setStatus(statusError, "cannot decide: "+oneLine(err.Error()))
		} else {
			m.setStatus(statusInfo, "the diff is still loading; decide once you have read it")
		}
		return m, nil
	}
	if m.notReady != "" {
		m.setStatus(statusError, "cannot sign: "+m.notReady)
		return m, nil
	}
	ticked, total := m.checklist.Progress()
	if accept && m.rev.RequireComplete() && ticked < total {
		m.setStatus(statusError, fmt.Sprintf("checklists must be complete to accept: %d of %d ticked (r rejects)", ticked, total))
		return m, nil
	}
	cmd := m.comment.Open(accept, it.Commit.Short(), ticked, total)
	m.setStatus(statusInfo, "")
	m.layout()
	return m, cmd
}

// reSign records, in one key press, an accept of this commit that carries
// over an earlier accept of the same patch on a commit a rebase replaced.
func (m Model) reSign() (tea.Model, tea.Cmd) {
	it, ok := m.current()
	a := m.cache.get(it.Commit.SHA)
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
	comment := "re-signed: the same patch was accepted as " + shortSHA(from.Payload.Commit) + " by " + from.Payload.Reviewer.Email
	return m.decide(a, true, comment)
}

func (m Model) commentKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	var res commentResult
	var cmd tea.Cmd
	m.comment, res, cmd = m.comment.Update(k)
	switch res {
	case commentCancelled:
		m.setStatus(statusInfo, "decision cancelled")
		m.layout()
	case commentNeedsText:
		m.setStatus(statusError, "a reject needs a comment saying why")
	case commentRecord:
		it, _ := m.current()
		m.layout()
		return m.decide(m.cache.get(it.Commit.SHA), m.comment.accept, m.comment.Text())
	}
	return m, cmd
}

// decide sends a decision for signing.
func (m Model) decide(a *review.Analysis, accept bool, comment string) (tea.Model, tea.Cmd) {
	if a == nil {
		return m, nil
	}
	verb := "accept"
	if !accept {
		verb = "reject"
	}
	m.signing = true
	m.setStatus(statusInfo, "signing "+verb+" of "+a.Item.Commit.Short()+"…")
	sha := a.Item.Commit.SHA
	d := review.Decision{Accept: accept, Comment: comment, Via: "tui", Ticks: m.ticks[sha], Coverage: m.coverage(a, time.Now())}
	return m, decideCmd(m.rev, a, d)
}

// decideCmd signs and records d in a goroutine. Everything it hands over is
// a deep copy: the reviewer may tick, scroll or move on while a hardware key
// waits for a touch, and nothing the event loop writes is shared.
func decideCmd(rev Reviewer, a *review.Analysis, d review.Decision) tea.Cmd {
	a = copyAnalysis(a)
	d.Ticks = copyTicks(d.Ticks)
	if d.Coverage != nil {
		c := *d.Coverage
		d.Coverage = &c
	}
	sha, accept := a.Item.Commit.SHA, d.Accept
	return func() tea.Msg {
		it, _, err := rev.Decide(a, d)
		return decidedMsg{sha: sha, accept: accept, item: it, err: err}
	}
}

// copyAnalysis is a copy of a that shares no slice the UI could replace or
// append to.
func copyAnalysis(a *review.Analysis) *review.Analysis {
	cp := *a
	cp.Item.Records = slices.Clone(a.Item.Records)
	cp.Item.Checks = slices.Clone(a.Item.Checks)
	cp.Item.Evidence = slices.Clone(a.Item.Evidence)
	cp.Files = slices.Clone(a.Files)
	cp.Findings = slices.Clone(a.Findings)
	cp.Checklists = slices.Clone(a.Checklists)
	cp.CarriedOver = slices.Clone(a.CarriedOver)
	return &cp
}

// copyTicks is the ticks a goroutine gets: its own copy, so that ticking on
// while a key waits for a touch writes nothing it reads.
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
	idx := m.queue.Replace(msg.item)
	if a := m.cache.get(msg.sha); a != nil && idx >= 0 {
		// A new analysis value: a signing goroutine may still hold the old.
		cp := *a
		cp.Item = msg.item
		m.cache.replace(msg.sha, &cp)
	}
	delete(m.ticks, msg.sha) // the record holds them now; its draft is gone
	verb := "accepted"
	if !msg.accept {
		verb = "rejected"
	}
	done := fmt.Sprintf("%s %s, signed into %s", verb, shortSHA(msg.sha), m.rev.Ref())
	next := m.queue.NextUndecided(idx)
	if idx < 0 || next == idx {
		m.setStatus(statusOK, done+" · every commit in the queue is decided (q quits)")
		if idx >= 0 && m.queue.cursor == idx {
			if a := m.cache.get(msg.sha); a != nil {
				m.diff.SetAnalysis(a, true)
			}
		}
		return m, nil
	}
	m.setStatus(statusOK, done)
	m.queue.Select(next)
	return m, m.show()
}

// click selects the queue row under the pointer, or focuses the pane.
func (m Model) click(msg tea.MouseClickMsg) (tea.Model, tea.Cmd) {
	mouse := msg.Mouse()
	if mouse.Button != tea.MouseLeft || m.showHelp || m.comment.open {
		return m, nil
	}
	y := mouse.Y - 1 // the title row
	if mouse.X < m.queue.width {
		m.focus = focusQueue
		if i, ok := m.queue.At(y); ok && i != m.queue.cursor {
			return m.moveTo(i)
		}
		return m, nil
	}
	if y >= m.diff.height+diffHeaderRows && len(m.checklist.items) > 0 && !m.checklist.collapsed {
		m.focus = focusChecklist
	} else {
		m.focus = focusDiff
	}
	return m, nil
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
	if y := mouse.Y - 1; y >= m.diff.height+diffHeaderRows && m.checklist.height > 1 {
		m.checklist.offset = max(0, m.checklist.offset+delta)
		return m, nil
	}
	m.diff.scroll(delta)
	return m, nil
}

// Layout: a title row, the panes, then the status rows and one help row.
// The comment box takes two rows above the status while it is open; the
// status takes as many rows as its message needs (up to three), so an
// error is never cut.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	bodyH := m.height - 2 - m.statusRows()
	if m.comment.open {
		bodyH -= 2
	}
	bodyH = max(bodyH, 3)
	qw := min(40, max(22, m.width/4))
	m.queue.SetSize(qw, bodyH)
	rw := max(10, m.width-qw-1)
	clH := 0
	if len(m.checklist.items) > 0 {
		switch {
		case m.checklist.collapsed:
			clH = 1
		case m.checklist.zoomed:
			clH = max(1, bodyH-diffHeaderRows-2)
		default:
			// The diff comes first: at least two thirds of the height.
			clH = min(max(4, bodyH/3), bodyH-diffHeaderRows-2)
		}
	}
	m.diff.SetSize(rw, bodyH-clH)
	m.checklist.SetSize(rw, clH)
	m.help.SetWidth(m.width)
	m.comment.SetWidth(max(10, m.width-4))
}

// statusLines is the status message wrapped to the screen, at most three
// rows; one row when there is none.
func (m *Model) statusLines() []string {
	if m.width == 0 || m.status == "" {
		return []string{""}
	}
	lines := strings.Split(ansi.Wrap(m.status, max(10, m.width-2), " "), "\n")
	if len(lines) > 3 {
		lines = append(lines[:2], fit(strings.Join(lines[2:], " "), m.width-2))
	}
	return lines
}

func (m *Model) statusRows() int { return len(m.statusLines()) }

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
		body := m.helpBody()
		if len(body) > bodyH {
			// The title row stays; the rest scrolls, and says it does.
			rest := body[1+min(m.helpOffset, len(body)-1):]
			body = append([]string{body[0] + st.Dim.Render(" · j/k scroll")}, rest...)
		}
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
			if err := m.cache.errs[it.Commit.SHA]; err != nil && m.cache.get(it.Commit.SHA) == nil {
				loading = "cannot read this commit: " + oneLine(err.Error())
			} else if m.cache.get(it.Commit.SHA) == nil {
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
	if m.comment.open {
		lines = append(lines, st.CommentLabel.Render(fit(m.comment.Label(), m.width)))
		lines = append(lines, " "+m.comment.View())
	}
	style := st.Status
	switch m.statusKind {
	case statusError:
		style = st.StatusError
	case statusOK:
		style = st.StatusOK
	}
	for _, l := range m.statusLines() {
		lines = append(lines, style.Render(" "+l))
	}
	lines = append(lines, " "+m.footer())
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

// footer is the focused pane's keys, then the ones every pane shares; on a
// narrow screen the pane's last keys go first, so ? and q always show.
func (m *Model) footer() string {
	if m.comment.open {
		return m.help.ShortHelpView(m.keys.Comment.ShortHelp())
	}
	var own []key.Binding
	switch m.focus {
	case focusQueue:
		own = m.keys.Queue.ShortHelp()
	case focusChecklist:
		own = m.keys.Checklist.ShortHelp()
	default:
		own = m.keys.Diff.ShortHelp()
	}
	shared := m.keys.Global.ShortHelp()
	h := m.help
	h.SetWidth(0) // measured here, not cut with an ellipsis
	for {
		keys := append(slices.Clone(own), shared...)
		if v := h.ShortHelpView(keys); lipgloss.Width(v) <= m.width-1 || (len(own) <= 1 && len(shared) <= 3) {
			return v
		}
		if len(own) > 1 {
			own = own[:len(own)-1]
		} else {
			shared = shared[1:] // tab, then J, go before a, r, ?, q
		}
	}
}

// helpBody is the help view: a column per heading, packed across the
// screen's width.
func (m *Model) helpBody() []string {
	st := &m.styles
	body := []string{st.PaneTitleOn.Render(" Keys ") + st.Dim.Render("  any key closes this help")}
	var cols [][]string
	var widths []int
	for _, g := range m.keys.groups() {
		col := []string{st.Subject.Render(g.title)}
		w := ansi.StringWidth(g.title)
		for _, b := range g.keys {
			if !b.Enabled() {
				continue
			}
			h := b.Help()
			line := st.Help.FullKey.Render(pad(h.Key, 6)) + " " + st.Help.FullDesc.Render(h.Desc)
			col = append(col, line)
			w = max(w, lipgloss.Width(line))
		}
		cols = append(cols, col)
		widths = append(widths, w+3)
	}
	for i := 0; i < len(cols); {
		j, used := i, 0
		for j < len(cols) && (j == i || used+widths[j] <= m.width-1) {
			used += widths[j]
			j++
		}
		height := 0
		for _, c := range cols[i:j] {
			height = max(height, len(c))
		}
		for y := 0; y < height; y++ {
			var b strings.Builder
			for k := i; k < j; k++ {
				cell := ""
				if y < len(cols[k]) {
					cell = cols[k][y]
				}
				b.WriteString(padStyled(cell, widths[k]))
			}
			body = append(body, b.String())
		}
		i = j
	}
	if m.status != "" {
		body = append(body, "", st.Subject.Render("Last message"))
		body = append(body, strings.Split(ansi.Wrap(m.status, max(10, m.width-4), " "), "\n")...)
	}
	return body
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

// firstParenter is a session that can diff a merge against its first
// parent (review.Session does).
type firstParenter interface {
	AnalyseFirstParent(review.Item) (*review.Analysis, error)
}

type firstParentMsg struct {
	sha string
	a   *review.Analysis
	err error
}

func (m *Model) canFirstParent() bool {
	_, ok := m.rev.(firstParenter)
	return ok
}

// toggleMergeView switches a merge between what the merge itself changed
// (its remerge diff, which the findings and the decision are about) and its
// diff against the first parent.
func (m Model) toggleMergeView() (tea.Model, tea.Cmd) {
	it, ok := m.current()
	fp, can := m.rev.(firstParenter)
	if !ok || !can || len(it.Commit.Parents) < 2 {
		return m, nil
	}
	sha := it.Commit.SHA
	m.mergeView[sha] = !m.mergeView[sha]
	if !m.mergeView[sha] {
		m.setStatus(statusInfo, "the merge's own changes (m: its diff against the first parent)")
		return m, m.show()
	}
	m.setStatus(statusInfo, "the merge against its first parent: what the merged branch brought (m: the merge's own changes)")
	if m.firstParent[sha] != nil {
		return m, m.show()
	}
	return m, func() tea.Msg {
		a, err := fp.AnalyseFirstParent(it)
		return firstParentMsg{sha: sha, a: a, err: err}
	}
}
