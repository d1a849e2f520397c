package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"

	"github.com/vouch-review/vouch/review/visible"
)

// Output helpers every command shares: terminal detection, colours, JSON,
// tables and the pager.

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// interactive reports a terminal on both stdin and stdout, as the TUI needs.
func (s streams) interactive() bool { return isTerminal(s.in) && isTerminal(s.out) }

// outTerminal reports whether stdout is a terminal.
func (s streams) outTerminal() bool { return isTerminal(s.out) }

// width is the terminal's width, 0 when stdout is not a terminal.
func (s streams) width() int {
	if f, ok := s.out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
	}
	return 0
}

// noColor reports --no-color or NO_COLOR (https://no-color.org).
func (g *globalOptions) noColor() bool { return g.NoColor || os.Getenv("NO_COLOR") != "" }

// colour reports whether output is coloured: stdout is a terminal and
// neither --no-color nor NO_COLOR says otherwise.
func (g *globalOptions) colour() bool { return !g.noColor() && g.outTerminal() }

// palette holds the styles of coloured output; with colour off every style
// is plain, so callers never test for it.
type palette struct {
	Good, Bad, Dim, SHA lipgloss.Style
}

func newPalette(on bool) palette {
	if !on {
		plain := lipgloss.NewStyle()
		return palette{plain, plain, plain, plain}
	}
	return palette{
		Good: lipgloss.NewStyle().Foreground(lipgloss.Green),
		Bad:  lipgloss.NewStyle().Foreground(lipgloss.Red).Bold(true),
		Dim:  lipgloss.NewStyle().Faint(true),
		SHA:  lipgloss.NewStyle().Foreground(lipgloss.Yellow),
	}
}

// colourWriter downsamples styled output to what the terminal on stdout
// can show; w may be a pager's pipe, so the profile comes from stdout.
func (g *globalOptions) colourWriter(w io.Writer) io.Writer {
	if !g.colour() {
		return w
	}
	p := colorprofile.Detect(g.out.(*os.File), os.Environ())
	return &colorprofile.Writer{Forward: w, Profile: p}
}

// writeJSON is the one way a command prints JSON.
func writeJSON(w io.Writer, v any) error { return visible.EncodeJSON(w, v, true) }

// safeJoin is a range (repository or user text) made safe to print.
func safeJoin(args []string) string { return visible.String(strings.Join(args, " ")) }

// writeTable prints rows in columns padded to their display width. With
// width > 0 (a terminal) the last column is cut to fit. Cells must already
// be safe (visible.String).
func writeTable(w io.Writer, width int, header []string, rows [][]string) {
	all := rows
	if header != nil {
		all = append([][]string{header}, rows...)
	}
	if len(all) == 0 {
		return
	}
	cols := len(all[0])
	widths := make([]int, cols)
	for _, r := range all {
		for i, c := range r {
			widths[i] = max(widths[i], ansi.StringWidth(c))
		}
	}
	for _, r := range all {
		var b strings.Builder
		for i, c := range r {
			if i == cols-1 {
				if width > 0 {
					c = ansi.Truncate(c, max(width-ansi.StringWidth(b.String()), 10), "…")
				}
				b.WriteString(c)
				break
			}
			b.WriteString(c)
			b.WriteString(strings.Repeat(" ", widths[i]-ansi.StringWidth(c)+2))
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// pager is a running pager that a command writes into, like git log's.
type pager struct {
	cmd *exec.Cmd
	in  io.WriteCloser
}

// pagerCommand picks the pager as git does: GIT_PAGER, core.pager, PAGER,
// then less; "" and "cat" mean none.
func pagerCommand(corePager string) string {
	p, ok := os.LookupEnv("GIT_PAGER")
	if !ok {
		p = corePager
	}
	if !ok && p == "" {
		var set bool
		if p, set = os.LookupEnv("PAGER"); !set {
			p = "less"
		}
	}
	if p = strings.TrimSpace(p); p == "cat" {
		return ""
	}
	return p
}

// startPager starts command (run by the shell, as git does) with its output
// on stdout. The caller writes into the pager and calls wait.
func startPager(command string, stdout, stderr io.Writer) (*pager, error) {
	cmd := exec.Command("sh", "-c", command)
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.Env = os.Environ()
	// git's defaults: quit when one screen is enough, keep colours.
	if _, ok := os.LookupEnv("LESS"); !ok {
		cmd.Env = append(cmd.Env, "LESS=FRX")
	}
	if _, ok := os.LookupEnv("LV"); !ok {
		cmd.Env = append(cmd.Env, "LV=-c")
	}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start pager %q: %w (set PAGER, or pass --no-pager)", command, err)
	}
	return &pager{cmd: cmd, in: in}, nil
}

// Write forwards to the pager; once the reader has quit, the rest of the
// output is dropped, as git does.
func (p *pager) Write(b []byte) (int, error) {
	n, err := p.in.Write(b)
	if errors.Is(err, syscall.EPIPE) {
		return len(b), nil
	}
	return n, err
}

// wait closes the pager's input and waits until the reader quits.
func (p *pager) wait() {
	p.in.Close()
	p.cmd.Wait() // the pager's own exit status is the reader's business
}
