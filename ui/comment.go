package ui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
)

// commentBox is where a decision's comment is typed; it opens on a or r and
// closes when the decision is sent for signing or cancelled.
type commentBox struct {
	keys   CommentKeyMap
	input  textinput.Model
	open   bool
	accept bool
	short  string // the commit's short sha
	// unticked is the checklist progress when an accept leaves items
	// unticked: the box asks before recording.
	ticked, total int
}

// commentResult is what a key did to the box.
type commentResult int

const (
	commentTyping commentResult = iota
	commentCancelled
	commentRecord
	commentNeedsText
)

func newCommentBox(keys CommentKeyMap) commentBox {
	ti := textinput.New()
	ti.Prompt = "› "
	ti.CharLimit = 2000
	return commentBox{keys: keys, input: ti}
}

// Open shows the box for an accept or a reject of commit short.
func (c *commentBox) Open(accept bool, short string, ticked, total int) tea.Cmd {
	c.open, c.accept, c.short = true, accept, short
	c.ticked, c.total = ticked, total
	c.input.Reset()
	if accept {
		c.input.Placeholder = "optional comment"
	} else {
		c.input.Placeholder = "why is it rejected? (required)"
	}
	return c.input.Focus()
}

func (c *commentBox) Close() {
	c.open = false
	c.input.Blur()
}

// Text is the comment typed so far, trimmed.
func (c *commentBox) Text() string { return strings.TrimSpace(c.input.Value()) }

// Update handles a key or paste while the box is open.
func (c commentBox) Update(msg tea.Msg) (commentBox, commentResult, tea.Cmd) {
	if k, ok := msg.(tea.KeyPressMsg); ok {
		switch {
		case key.Matches(k, c.keys.Cancel):
			c.Close()
			return c, commentCancelled, nil
		case key.Matches(k, c.keys.Record):
			if !c.accept && c.Text() == "" {
				return c, commentNeedsText, nil
			}
			c.Close()
			return c, commentRecord, nil
		}
	}
	var cmd tea.Cmd
	c.input, cmd = c.input.Update(msg)
	return c, commentTyping, cmd
}

// Label is the box's heading: what enter will do.
func (c commentBox) Label() string {
	if !c.accept {
		return fmt.Sprintf(" Reject %s · enter records (signed) · esc cancels", c.short)
	}
	if c.total > 0 && c.ticked < c.total {
		return fmt.Sprintf(" accept with %d of %d ticked? · enter records the accept of %s (signed) · esc cancels", c.ticked, c.total, c.short)
	}
	return fmt.Sprintf(" Accept %s · enter records (signed) · esc cancels", c.short)
}

func (c *commentBox) SetWidth(w int) { c.input.SetWidth(w) }

func (c commentBox) View() string { return c.input.View() }
