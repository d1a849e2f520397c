package ui

import (
	"fmt"
	"strings"

	"github.com/vouch-review/vouch/review/visible"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review"
)

// checklistPane shows the checklists a commit calls for; items are ticked
// with x while the pane has focus.
type checklistPane struct {
	keys   ChecklistKeyMap
	sha    string
	sel    []checklist.Selected
	ticks  review.Ticks
	items  []itemRef
	cursor int
	offset int
	width  int
	height int

	collapsed bool // only the title row
	zoomed    bool // most of the screen

	// blocks are Glamour-rendered Markdown for the current width:
	// "intro:<id>" and "item:<id>:<n>" (an item's explanation) -> lines.
	blocks   map[string][]string
	blockKey string // which commit, width and background they were rendered for
}

type itemRef struct{ list, item int }

// checklistRenderedMsg carries rendered Markdown back from a tea.Cmd.
type checklistRenderedMsg struct {
	key    string
	blocks map[string][]string
}

func newChecklistPane(keys ChecklistKeyMap) checklistPane { return checklistPane{keys: keys} }

// Set shows a commit's checklists with its ticks.
func (c *checklistPane) Set(sha string, sel []checklist.Selected, ticks review.Ticks) {
	if sha != c.sha {
		c.cursor, c.offset = 0, 0
	}
	c.sha, c.sel, c.ticks = sha, sel, ticks
	c.items = c.items[:0]
	for li, s := range sel {
		for ii := range s.Checklist.Items {
			c.items = append(c.items, itemRef{li, ii})
		}
	}
	c.cursor = min(c.cursor, max(0, len(c.items)-1))
}

func (c *checklistPane) SetSize(w, h int) { c.width, c.height = w, h }

// contentWidth is what Glamour wraps to: the pane less the checkbox gutter.
func (c *checklistPane) contentWidth() int { return max(20, c.width-6) }

func (c *checklistPane) renderKey(dark bool) string {
	return fmt.Sprintf("%s/%d/%v", c.sha, c.contentWidth(), dark)
}

// renderCmd renders every intro and item of the current commit off the
// event loop, unless that is already done for this width and background.
func (c *checklistPane) renderCmd(md *markdown, dark bool) tea.Cmd {
	k := c.renderKey(dark)
	if len(c.sel) == 0 || c.blockKey == k {
		return nil
	}
	sel, width := c.sel, c.contentWidth()
	return func() tea.Msg {
		blocks := map[string][]string{}
		for _, s := range sel {
			cl := s.Checklist
			if strings.TrimSpace(cl.Intro) != "" {
				if lines, err := md.Render(cl.Intro, width, dark); err == nil {
					blocks["intro:"+cl.ID] = lines
				}
			}
			for i, it := range cl.Items {
				if strings.TrimSpace(it.Explanation) == "" {
					continue
				}
				if lines, err := md.Render(it.Explanation, width, dark); err == nil {
					blocks[fmt.Sprintf("item:%s:%d", cl.ID, i)] = lines
				}
			}
		}
		return checklistRenderedMsg{key: k, blocks: blocks}
	}
}

func (c *checklistPane) Rendered(msg checklistRenderedMsg, dark bool) {
	if msg.key == c.renderKey(dark) {
		c.blocks, c.blockKey = msg.blocks, msg.key
	}
}

// Progress is ticked and total items over every checklist shown.
func (c *checklistPane) Progress() (ticked, total int) {
	for _, r := range c.items {
		total++
		if c.ticks[c.sel[r.list].Checklist.ID][r.item] {
			ticked++
		}
	}
	return ticked, total
}

// Update moves the selection and ticks; it reports a status message and
// whether the ticks changed.
func (c checklistPane) Update(msg tea.Msg, st *Styles) (checklistPane, string, bool) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok || len(c.items) == 0 {
		return c, "", false
	}
	switch {
	case key.Matches(k, c.keys.Down):
		c.cursor = min(c.cursor+1, len(c.items)-1)
	case key.Matches(k, c.keys.Up):
		c.cursor = max(c.cursor-1, 0)
	case key.Matches(k, c.keys.Tick):
		r := c.items[c.cursor]
		id := c.sel[r.list].Checklist.ID
		// A new ticks value: the old one may be on its way to a goroutine.
		t := copyTicks(c.ticks)
		if t[id] == nil {
			t[id] = map[int]bool{}
		}
		t[id][r.item] = !t[id][r.item]
		c.ticks = t
		ticked, total := c.Progress()
		return c, fmt.Sprintf("%d of %d checklist items ticked", ticked, total), true
	}
	c.follow(st)
	return c, "", false
}

// follow scrolls so the selected item is on screen, with its checklist's
// heading when there is room.
func (c *checklistPane) follow(st *Styles) {
	all, starts := c.lines(st)
	if len(starts) == 0 {
		return
	}
	visible := max(1, c.height-1)
	s := starts[c.cursor]
	e := len(all) - 1
	if c.cursor+1 < len(starts) {
		e = starts[c.cursor+1] - 1
	}
	if s < c.offset {
		c.offset = max(0, s-2)
	}
	if e >= c.offset+visible {
		c.offset = min(s, e-visible+1)
	}
}

// lines lays the pane's content out; starts[i] is the line of item i.
func (c *checklistPane) lines(st *Styles) ([]string, []int) {
	var out []string
	starts := make([]int, 0, len(c.items))
	idx := 0
	for li, s := range c.sel {
		cl := s.Checklist
		ticked := 0
		for i := range cl.Items {
			if c.ticks[cl.ID][i] {
				ticked++
			}
		}
		head := fmt.Sprintf("%s · %d/%d", visible.String(cl.Title), ticked, len(cl.Items))
		if li > 0 {
			out = append(out, "")
		}
		out = append(out, st.Subject.Render(fit(head, c.width)))
		out = append(out, st.Dim.Render(fit("  "+because(s), c.width)))
		if intro := c.blocks["intro:"+cl.ID]; intro != nil && c.zoomed {
			out = append(out, intro...)
		}
		for i, it := range cl.Items {
			starts = append(starts, len(out))
			box := "[ ]"
			boxStyle := st.Dim
			if c.ticks[cl.ID][i] {
				box, boxStyle = "[x]", st.Accepted
			}
			mark, textStyle := "  ", st.Context
			if idx == c.cursor {
				mark, textStyle = st.Surface.Render("▶ "), st.Subject
			}
			text := visible.String(it.Text)
			if strings.TrimSpace(it.Explanation) != "" && idx != c.cursor {
				text += " …"
			}
			out = append(out, mark+boxStyle.Render(box)+" "+fit(inlineMarkdown(text, textStyle, st.Evidence), max(1, c.width-6)))
			if idx == c.cursor && strings.TrimSpace(it.Explanation) != "" {
				block := c.blocks[fmt.Sprintf("item:%s:%d", cl.ID, i)]
				if block == nil {
					for _, l := range visible.Lines(it.Explanation) {
						block = append(block, strings.Split(ansi.Wrap(l, c.contentWidth(), ""), "\n")...)
					}
				}
				for _, l := range block {
					out = append(out, "      "+l)
				}
			}
			idx++
		}
	}
	return out, starts
}

// because says why a checklist is on screen.
func because(s checklist.Selected) string {
	switch {
	case len(s.Because) > 0:
		var parts []string
		for i, f := range s.Because {
			if i == 2 {
				parts = append(parts, fmt.Sprintf("+%d more", len(s.Because)-2))
				break
			}
			parts = append(parts, fmt.Sprintf("%s:%d %s", f.File, f.Line, f.Message))
		}
		return "because " + visible.String(strings.Join(parts, "; "))
	case len(s.Paths) > 0:
		return "because it changes " + visible.String(strings.Join(s.Paths, ", "))
	case s.ForAI:
		return "for every AI-authored commit"
	}
	return ""
}

func (c checklistPane) View(st *Styles, focused bool) []string {
	title := st.PaneTitle
	if focused {
		title = st.PaneTitleOn
	}
	ticked, total := c.Progress()
	head := fmt.Sprintf("Checklists %d/%d", ticked, total)
	hint := ""
	switch {
	case c.collapsed:
		hint = "  c shows them"
	case c.zoomed:
		hint = "  z restores the diff"
	}
	bar := "─"
	if focused {
		bar = "━"
	}
	rule := max(0, c.width-ansi.StringWidth(head)-ansi.StringWidth(hint)-1)
	out := []string{title.Render(head) + st.Dim.Render(hint) + " " + st.Separator.Render(strings.Repeat(bar, rule))}
	if c.height <= 1 {
		return out
	}
	all, _ := c.lines(st)
	end := min(len(all), c.offset+c.height-1)
	for i := c.offset; i < end; i++ {
		out = append(out, truncateStyled(all[i], c.width))
	}
	for len(out) < c.height {
		out = append(out, "")
	}
	return out
}
