package repo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// Kinds of git failure that GitError says in the user's words; match them
// with errors.Is.
var (
	// ErrNoRevision: a revision or range names nothing in the repository.
	ErrNoRevision = errors.New("no such revision")
	// ErrBadConfig: git refused to run because of a bad configuration value.
	ErrBadConfig = errors.New("bad git config")
	// ErrRefLocked: a ref's lock file exists (another git process, or a
	// crashed one that left it behind).
	ErrRefLocked = errors.New("ref is locked")
	// ErrDubiousOwnership: git's safe.directory check refused the repository.
	ErrDubiousOwnership = errors.New("repository owned by another user")
)

// GitError is a failed git invocation. Error() is one line in the user's
// words: a known failure is translated (a missing revision, a bad config
// value, a foreign or missing repository, a held lock); anything else is
// git's own fatal line, named by the git command that printed it.
type GitError struct {
	Args   []string
	Dir    string // where git ran
	Stderr string // git's stderr as printed
	Err    error  // the exec error
}

func (e *GitError) Error() string {
	if msg, _ := e.explain(); msg != "" {
		return msg
	}
	msg := gitMessage(e.Stderr)
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	return "git " + subcommand(e.Args) + ": " + msg
}

// Unwrap lets errors.Is see both the exec error and the kind of failure.
func (e *GitError) Unwrap() []error {
	errs := []error{e.Err}
	if _, kind := e.explain(); kind != nil {
		errs = append(errs, kind)
	}
	return errs
}

// LockFile is the lock file named by a "File exists" failure, "" for any
// other failure.
func (e *GitError) LockFile() string {
	if m := reLockExists.FindStringSubmatch(e.Stderr); m != nil {
		return m[1]
	}
	return ""
}

var (
	reBadRevision  = regexp.MustCompile(`(?m)^fatal: bad revision '(.*)'\s*$`)
	reAmbiguous    = regexp.MustCompile(`(?m)^fatal: ambiguous argument '(.*)': unknown revision`)
	reBadObject    = regexp.MustCompile(`(?m)^fatal: (?:Not a valid object name|bad object) (.*?)\s*$`)
	reInvalidValue = regexp.MustCompile(`(?m)^error: invalid value for '([^']*)': '(.*)'\s*$`)
	reBadVariable  = regexp.MustCompile(`(?m)^fatal: bad config variable '([^']*)' in (?:file '(.*)' at line (\d+)|(.*?))\s*$`)
	reBadTyped     = regexp.MustCompile(`(?m)^fatal: bad (boolean|numeric) config value '(.*)' for '([^']*)'(?:: [^\n]*?)?(?: in file '?(.*?)'? at line (\d+))?\s*$`)
	reBadLine      = regexp.MustCompile(`(?m)^fatal: bad config line (\d+) in (?:file )?(.*?)\s*$`)
	reParseCmdline = regexp.MustCompile(`(?m)^fatal: unable to parse '([^']*)' from command-line config`)
	reNotRepo      = regexp.MustCompile(`(?m)^fatal: not a git repository`)
	reDubious      = regexp.MustCompile(`(?m)^fatal: detected dubious ownership in repository at '(.*)'`)
	reLockExists   = regexp.MustCompile(`(?m)Unable to create '(.*\.lock)': File exists`)
)

// explain translates the failures a user can act on; "" when git said
// something else.
func (e *GitError) explain() (string, error) {
	s := e.Stderr
	if m := reBadRevision.FindStringSubmatch(s); m != nil {
		return "no such revision: " + shown(m[1]), ErrNoRevision
	}
	if m := reAmbiguous.FindStringSubmatch(s); m != nil {
		return "no such revision: " + shown(m[1]), ErrNoRevision
	}
	if m := reBadObject.FindStringSubmatch(s); m != nil {
		return "no such revision: " + shown(strings.Trim(m[1], "'")), ErrNoRevision
	}
	where := ""
	if m := reBadVariable.FindStringSubmatch(s); m != nil {
		if m[2] != "" {
			where = shown(m[2]) + ":" + m[3]
		} else {
			where = shown(m[4])
		}
	}
	if m := reInvalidValue.FindStringSubmatch(s); m != nil {
		msg := fmt.Sprintf("git config %s is %s", shown(m[1]), strconv.Quote(m[2]))
		if strings.EqualFold(m[1], "gpg.format") {
			msg += ": want openpgp, x509 or ssh"
		}
		if where != "" {
			msg += " (set in " + where + ")"
		}
		return msg, ErrBadConfig
	}
	if m := reBadVariable.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("bad git config %s in %s", shown(m[1]), where), ErrBadConfig
	}
	if m := reBadTyped.FindStringSubmatch(s); m != nil {
		want := "true or false"
		if m[1] == "numeric" {
			want = "a number"
		}
		msg := fmt.Sprintf("git config %s is %s: want %s", shown(m[3]), strconv.Quote(m[2]), want)
		if m[4] != "" {
			msg += " (set in " + shown(m[4]) + ":" + m[5] + ")"
		}
		return msg, ErrBadConfig
	}
	if m := reBadLine.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("bad git config syntax in %s:%s", shown(m[2]), m[1]), ErrBadConfig
	}
	if m := reParseCmdline.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("bad git config %s given with -c", shown(m[1])), ErrBadConfig
	}
	if m := reDubious.FindStringSubmatch(s); m != nil {
		dir := shown(m[1])
		return fmt.Sprintf("git refuses %s: another user owns it; if you trust it, run git config --global --add safe.directory %s", dir, dir), ErrDubiousOwnership
	}
	if reNotRepo.MatchString(s) {
		dir := e.Dir
		if dir == "" {
			dir = "."
		}
		return shown(dir) + " is not a git repository", ErrNotRepository
	}
	if lock := e.LockFile(); lock != "" {
		return lockMessage(e.Dir, lock), ErrRefLocked
	}
	return "", nil
}

// lockMessage is git's own remedy for a lock file left behind.
func lockMessage(dir, lock string) string {
	shownLock := lock
	// A relative path only where the user stands, so that it reads right.
	if cwd, err := os.Getwd(); err == nil && dir != "" && sameDir(cwd, dir) {
		if rel, err := filepath.Rel(dir, lock); err == nil && !strings.HasPrefix(rel, "..") {
			shownLock = rel
		}
	}
	shownLock = shown(shownLock)
	return fmt.Sprintf("%s exists: another git process may be running; if not, remove %s", shownLock, shownLock)
}

// gitMessage is the line of git's stderr that says what failed: the first
// fatal line, else the first error line, else the first line, without
// git's "fatal: "/"error: " prefix.
func gitMessage(stderr string) string {
	var first, firstError string
	for _, l := range strings.Split(stderr, "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			continue
		case strings.HasPrefix(l, "fatal: "):
			return shown(strings.TrimPrefix(l, "fatal: "))
		case strings.HasPrefix(l, "error: ") && firstError == "":
			firstError = strings.TrimPrefix(l, "error: ")
		case first == "":
			first = l
		}
	}
	if firstError != "" {
		return shown(firstError)
	}
	return shown(first)
}

// subcommand is the git command of args, past global options such as
// -c key=value and -C dir.
func subcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-c" || a == "-C" || a == "--git-dir" || a == "--work-tree" || a == "--namespace":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}

// shown makes text that came from git, a config file or a revision name
// safe on one terminal line: anything unprintable is quoted and escaped.
func shown(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return !unicode.IsPrint(r) || r == unicode.ReplacementChar }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// gitContext wraps err with what was being done, unless err is a failure
// GitError already says in full in the user's words.
func gitContext(err error, format string, args ...any) error {
	var ge *GitError
	if errors.As(err, &ge) {
		if _, kind := ge.explain(); kind != nil {
			return err
		}
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// loud reports a git failure that printed something: with -q, git fails
// silently exactly when what was asked for does not exist.
func loud(err error) bool {
	var ge *GitError
	return errors.As(err, &ge) && strings.TrimSpace(ge.Stderr) != ""
}

func sameDir(a, b string) bool {
	fa, err := os.Stat(a)
	if err != nil {
		return false
	}
	fb, err := os.Stat(b)
	return err == nil && os.SameFile(fa, fb)
}
