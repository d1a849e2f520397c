// Package review is the domain: a Session turns a revision range into a queue
// of commits, analyses each (diff, AI evidence, surface findings, prior
// decisions) and records the reviewer's decision. The TUI and the
// non-interactive commands both drive it.
package review

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/vouch-review/vouch/checklist"
	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/diff"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// Version is vouch's version; release builds set it with -ldflags -X.
var Version = ""

// ToolVersion is "vouch VERSION" as recorded in every decision.
func ToolVersion() string {
	v := Version
	if v == "" {
		v = "(devel)"
		if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
			v = bi.Main.Version
		}
	}
	return "vouch " + v
}

// Options open a Session.
type Options struct {
	Dir string // repository directory (-C); "" is the current one
	Ref string // notes ref; "" takes config, then DefaultNotesRef
	All bool   // queue every commit, not only AI-authored ones
	// MaxFileDiff is the most of one file's diff an analysis holds (0:
	// DefaultMaxFileDiff, below 0: no limit); a larger file's diff is shown
	// and judged up to it and named in Analysis.Cut.
	MaxFileDiff int64
}

// DefaultMaxFileDiff is the most of one file's diff held by default, the
// same as the content limit: beyond it a reviewer pages through generated
// text, and a hostile commit would cost memory in proportion.
const DefaultMaxFileDiff = maxContent

// maxDiffLine is the most of one diff line held: a 50 MB one-line file is
// shown cut.
const maxDiffLine = 256 << 10

// Session is one reviewer's view of one repository.
type Session struct {
	repo     *repo.Repo
	cfg      Config
	ref      string
	refFlag  bool // the notes ref was named on the command line, not by config
	all      bool
	detector *authorship.Detector
	store    *ledger.Store
	scanner  *surface.Scanner
	policy   *surface.CompiledPolicy

	checklists        *checklist.Set
	checklistProblems []checklist.Problem
	patches           patchIndex
	view              viewTrust

	signerOnce sync.Once
	signer     ledger.Signer
	signerErr  error

	readerOnce sync.Once
	reader     *repo.Reader
	bgOnce     sync.Once
	bgReader   *repo.Reader
	bgTurn     sync.Mutex // background analyses run one at a time
	progress   Progress
	limits     repo.Limits
	pidWG      sync.WaitGroup
	pidMu      sync.Mutex
	pids       map[string]string // patch ids read ahead for Verify and Log

	rangeMu   sync.Mutex
	rangeArgs []string        // the range last listed by rangeCommits
	rangeSet  map[string]bool // its commits
}

// stream is the session's long-lived git processes, started on first use.
func (s *Session) stream() *repo.Reader {
	s.readerOnce.Do(func() { s.reader = s.repo.NewReader(context.Background()) })
	return s.reader
}

// Close ends the session's git processes. A Session that was never closed
// leaves them to exit with vouch (they read stdin to its end).
func (s *Session) Close() error {
	s.pidWG.Wait()
	s.readerOnce.Do(func() {})
	s.bgOnce.Do(func() {})
	var errs []error
	for _, rd := range []*repo.Reader{s.reader, s.bgReader} {
		if rd != nil {
			errs = append(errs, rd.Close())
		}
	}
	return errors.Join(errs...)
}

// Open opens the repository and its configuration.
func Open(opts Options) (*Session, error) {
	r, err := repo.Open(opts.Dir)
	if err != nil {
		return nil, err
	}
	cfg, err := LoadConfig(r)
	if err != nil {
		return nil, err
	}
	det, err := detectorFor(cfg)
	if err != nil {
		return nil, err
	}
	ref := opts.Ref
	if ref == "" {
		ref = cfg.NotesRef
	}
	if ref == "" {
		ref = DefaultNotesRef
	}
	if !strings.HasPrefix(ref, "refs/") {
		ref = "refs/notes/" + ref
	}
	if _, err := r.Git("check-ref-format", ref); err != nil {
		return nil, fmt.Errorf("--ref %s is not a valid ref name", ref)
	}
	policy, err := cfg.Policy.Compile()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", RepoConfigPath, err)
	}
	lists, problems, err := loadChecklists(r, cfg)
	if err != nil {
		return nil, err
	}
	return &Session{repo: r, cfg: cfg, ref: ref, refFlag: opts.Ref != "", all: opts.All, detector: det, store: ledger.NewStore(r, ref),
		scanner: surface.NewScanner(detectors(policy)...), policy: policy,
		checklists: lists, checklistProblems: problems, limits: limitsFor(opts.MaxFileDiff)}, nil
}

func limitsFor(maxFileDiff int64) repo.Limits {
	switch {
	case maxFileDiff < 0:
		return repo.Limits{}
	case maxFileDiff == 0:
		maxFileDiff = DefaultMaxFileDiff
	}
	return repo.Limits{FileBytes: maxFileDiff, LineBytes: maxDiffLine}
}

// detectorFor builds the AI-authorship detector with a config's markers.
func detectorFor(cfg Config) (*authorship.Detector, error) {
	markers := make([]authorship.Marker, 0, len(cfg.Markers))
	for _, m := range cfg.Markers {
		markers = append(markers, m.marker())
	}
	det, err := authorship.New(markers)
	if err != nil {
		return nil, fmt.Errorf("%s: markers: %w", RepoConfigPath, err)
	}
	return det, nil
}

// Repo is the repository under review.
func (s *Session) Repo() *repo.Repo { return s.repo }

// Ref is the notes ref decisions go to.
func (s *Session) Ref() string { return s.ref }

// State is where a commit stands in the review.
type State int

const (
	Undecided State = iota
	Accepted
	Rejected
)

func (st State) String() string {
	switch st {
	case Accepted:
		return "accepted"
	case Rejected:
		return "rejected"
	}
	return "undecided"
}

// Item is one commit of the queue with what is known before its diff is read.
type Item struct {
	Commit   repo.Commit
	Evidence []authorship.Evidence
	Records  []ledger.Entry // parsed lines of the commit's note, malformed ones included
	// Checks says, for each of Records, whether it verifies against the
	// trust anchors; a record that does not is shown as such and decides
	// nothing.
	Checks []RecordCheck
}

// RecordCheck is whether one record verifies, and if not, why.
type RecordCheck struct {
	Verified bool
	Detail   string
}

// AI reports whether any AI marker matched.
func (it Item) AI() bool { return len(it.Evidence) > 0 }

// Assistants names the assistants that the evidence points at, in order, once each.
func (it Item) Assistants() []string {
	var names []string
	seen := map[string]bool{}
	for _, e := range it.Evidence {
		if e.Assistant != "" && !seen[e.Assistant] {
			seen[e.Assistant] = true
			names = append(names, e.Assistant)
		}
	}
	return names
}

// WithRecord is the item with one more record: a new value, the old one is
// left as it was.
func (it Item) WithRecord(e ledger.Entry, c RecordCheck) Item {
	it.Records = append(slices.Clone(it.Records), e)
	it.Checks = append(slices.Clone(it.Checks), c)
	return it
}

// Latest is the most recent verified decision record, by its recorded time.
func (it Item) Latest() (ledger.Entry, bool) {
	var best ledger.Entry
	var bestTime time.Time
	found := false
	for i, e := range it.Records {
		if i >= len(it.Checks) || !it.Checks[i].Verified {
			continue
		}
		t, _ := time.Parse(time.RFC3339, e.Payload.Time)
		if !found || t.After(bestTime) || (t.Equal(bestTime) && e.Payload.Decision == ledger.Reject) {
			best, bestTime, found = e, t, true
		}
	}
	return best, found
}

// State is the latest verified decision's verdict.
func (it Item) State() State {
	e, ok := it.Latest()
	if !ok {
		return Undecided
	}
	switch e.Payload.Decision {
	case "accept":
		return Accepted
	case "reject":
		return Rejected
	}
	return Undecided
}

// Queue is the ordered list of commits to review, oldest first.
type Queue struct {
	Range   []string // the range as resolved (the default range spelled out)
	Scanned int      // commits in range before the AI filter
	Items   []Item
}

// FirstUndecided is where the reviewer starts: the first commit with no
// decision, else the first commit.
func (q *Queue) FirstUndecided() int { return q.NextUndecided(-1) }

// NextUndecided is the first undecided commit after index from, wrapping
// around; it returns from when every commit is decided (or 0 if from < 0).
func (q *Queue) NextUndecided(from int) int {
	n := len(q.Items)
	for k := 1; k <= n; k++ {
		i := (from + k) % n
		if i < 0 {
			i += n
		}
		if q.Items[i].State() == Undecided {
			return i
		}
	}
	if from < 0 {
		return 0
	}
	return from
}

// Queue builds the queue of a range (nil: the default range).
func (s *Session) Queue(rangeArgs []string) (*Queue, error) {
	if len(rangeArgs) == 0 {
		def, err := s.repo.DefaultRange()
		if err != nil {
			return nil, err
		}
		rangeArgs = def
	}
	commits, err := s.repo.Log(rangeArgs)
	if err != nil {
		return nil, err
	}
	notes, err := s.store.Load()
	if err != nil {
		return nil, err
	}
	q := &Queue{Range: rangeArgs, Scanned: len(commits)}
	for _, c := range commits {
		it := s.item(c)
		it.Records = notes[c.SHA]
		if !s.all && !it.AI() {
			continue
		}
		it.Checks = s.checkRecords(c, it.Records)
		q.Items = append(q.Items, it)
	}
	return q, nil
}

func (s *Session) item(c repo.Commit) Item { return itemWith(s.detector, c) }

// itemWith is a commit with the evidence det finds in it.
func itemWith(det *authorship.Detector, c repo.Commit) Item {
	ev := det.Detect(authorship.Commit{
		AuthorName: c.AuthorName, AuthorEmail: c.AuthorEmail,
		CommitterName: c.CommitterName, CommitterEmail: c.CommitterEmail,
		Message: c.Message, AINote: c.AINote,
	})
	return Item{Commit: c, Evidence: ev}
}

// Item reads one commit (any revision) with its evidence and records.
func (s *Session) Item(rev string) (Item, error) {
	c, err := s.repo.Commit(rev)
	if err != nil {
		return Item{}, err
	}
	it := s.item(c)
	if it.Records, err = s.store.Entries(c.SHA); err != nil {
		return it, err
	}
	it.Checks = s.checkRecords(c, it.Records)
	return it, nil
}

// Analysis is everything the reviewer sees for one commit.
type Analysis struct {
	Item     Item
	Files    []diff.File
	PatchID  string
	Findings []surface.Finding
	// Checklists are the ones the findings, the changed paths and AI
	// authorship call for, each with what triggered it.
	Checklists []checklist.Selected
	// CarriedOver are decisions recorded for the same patch on another
	// commit (before a rebase or cherry-pick), each with whether it
	// verifies; they do not count as this commit's review until re-signed.
	CarriedOver []Carried
	// Cut names the files whose diff was larger than Options.MaxFileDiff
	// (or held a line longer than 256 KiB), as in their "diff --git" line:
	// Files holds each up to the limit, findings come from what is held.
	Cut     []string
	Elapsed time.Duration // time to read and analyse the commit
}

// Analyse reads the commit's diff, its patch id, and the surface findings
// of its changes. A merge is analysed by what the merge itself did (its
// remerge diff, see repo.MergePatch); every other commit by its diff against
// its first parent. The patch id is always the first-parent one, as
// recorded and verified.
func (s *Session) Analyse(it Item) (*Analysis, error) {
	return s.analyse(s.stream(), it, len(it.Commit.Parents) > 1)
}

// AnalyseFirstParent is Analyse on the commit's diff against its first
// parent, for a merge what its second parent brought in too.
func (s *Session) AnalyseFirstParent(it Item) (*Analysis, error) {
	return s.analyse(s.stream(), it, false)
}

func (s *Session) analyse(rd *repo.Reader, it Item, remerge bool) (*Analysis, error) {
	start := time.Now()
	d, err := rd.Diff(it.Commit, s.limits)
	if err != nil {
		return nil, gitContextErr(err, it.Commit)
	}
	p, err := s.prepare(rd, it, remerge, d)
	if err != nil {
		return nil, err
	}
	return s.conclude(rd, p, start)
}

// prepared is a commit read for analysis: its diff parsed and the content
// of its files, before any detector ran.
type prepared struct {
	it      Item
	files   []diff.File
	pid     string
	cut     []string
	changes []*surface.Change
}

// prepare is the reading half of an analysis, from the commit's diff d
// (against its first parent): for a merge its remerge diff, the parsed
// files and their content before and after.
func (s *Session) prepare(rd *repo.Reader, it Item, remerge bool, d repo.Diff) (*prepared, error) {
	patch, pid, cut := d.Patch, d.PatchID, d.Cut
	if remerge {
		whole, err := s.repo.MergePatch(it.Commit)
		if err != nil {
			return nil, err
		}
		patch, cut = repo.LimitPatch(whole, s.limits)
	}
	files, err := diff.Parse(patch)
	if err != nil {
		return nil, fmt.Errorf("diff of %s: %w", it.Commit.Short(), err)
	}
	changes, err := s.changes(rd, it.Commit, files)
	if err != nil {
		return nil, err
	}
	return &prepared{it: it, files: files, pid: pid, cut: cut, changes: changes}, nil
}

// conclude is the judging half: findings, checklists and carried-over
// decisions of a prepared commit.
func (s *Session) conclude(rd *repo.Reader, p *prepared, start time.Time) (*Analysis, error) {
	it, files := p.it, p.files
	findings := s.judge(rd, it.Commit, p.changes, s.scanner, s.policy)
	paths := make([]string, 0, len(files))
	for _, f := range files {
		paths = append(paths, f.Path())
	}
	cut := cutPaths(p.cut, files)
	return &Analysis{Item: it, Files: files, PatchID: p.pid, Findings: findings,
		Checklists: s.checklists.Select(findings, paths, it.AI()), CarriedOver: s.carriedOver(it.Commit, p.pid),
		Cut: cut, Elapsed: time.Since(start)}, nil
}

// cutPaths names each cut file by its path where its "diff --git" line is
// the plain "a/OLD b/NEW" (a quoted one is kept as git wrote it).
func cutPaths(cut []string, files []diff.File) []string {
	if len(cut) == 0 {
		return nil
	}
	byLine := map[string]string{}
	for _, f := range files {
		old, nw := f.OldPath, f.NewPath
		if old == "" {
			old = nw
		}
		if nw == "" {
			nw = old
		}
		byLine["a/"+old+" b/"+nw] = f.Path()
	}
	out := make([]string, 0, len(cut))
	for _, c := range cut {
		if p, ok := byLine[c]; ok {
			c = p
		}
		out = append(out, c)
	}
	return out
}

// gitContextErr names the commit whose diff could not be read.
func gitContextErr(err error, c repo.Commit) error {
	return fmt.Errorf("diff of %s: %w", c.Short(), err)
}

// recordTime is RFC 3339 to the millisecond: a reject and an accept made
// in the same second still come in order.
const recordTime = "2006-01-02T15:04:05.000Z07:00"

// findings are the surface findings of a commit's parsed diff under a
// scanner and policy.
func (s *Session) findings(rd *repo.Reader, c repo.Commit, files []diff.File, scanner *surface.Scanner, policy *surface.CompiledPolicy) ([]surface.Finding, error) {
	changes, err := s.changes(rd, c, files)
	if err != nil {
		return nil, err
	}
	return s.judge(rd, c, changes, scanner, policy), nil
}

// changes are a commit's files with their content before and after (for
// a merge, "before" falls back to the first parent's file).
func (s *Session) changes(rd *repo.Reader, c repo.Commit, files []diff.File) ([]*surface.Change, error) {
	before := ""
	if len(c.Parents) > 1 {
		before = c.Parents[0]
	}
	changes, err := surfaceChanges(rd, files, before)
	if err != nil {
		return nil, fmt.Errorf("contents of %s: %w", c.Short(), err)
	}
	return changes, nil
}

// judge runs the detectors and the policy on a commit's changes and marks
// what is the first of its kind.
func (s *Session) judge(rd *repo.Reader, c repo.Commit, changes []*surface.Change, scanner *surface.Scanner, policy *surface.CompiledPolicy) []surface.Finding {
	findings := policy.Apply(scanner.Scan(changes))
	markFirstOfKind(rd, c, findings, time.Second)
	return findings
}

// trustedFindings are a commit's findings under the trusted policy.
func (s *Session) trustedFindings(c repo.Commit, a *Anchors) ([]surface.Finding, error) {
	var patch []byte
	if len(c.Parents) > 1 {
		whole, err := s.repo.MergePatch(c)
		if err != nil {
			return nil, err
		}
		patch, _ = repo.LimitPatch(whole, s.limits)
	} else {
		d, err := s.stream().Diff(c, s.limits)
		if err != nil {
			return nil, gitContextErr(err, c)
		}
		patch = d.Patch
	}
	files, err := diff.Parse(patch)
	if err != nil {
		return nil, fmt.Errorf("diff of %s: %w", c.Short(), err)
	}
	return s.findings(s.stream(), c, files, a.scanner, a.surfacePolicy)
}

// Decision is what the reviewer decided about one analysed commit.
type Decision struct {
	Accept  bool
	Comment string
	Via     string // "tui" or "cli"
	Ticks   Ticks  // ticked checklist items
	// Coverage is what the TUI had on screen; nil from the command line.
	Coverage *ledger.Coverage
}

// ErrCommentRequired refuses a reject with nothing said.
var ErrCommentRequired = errors.New("a reject needs a comment saying why")

var identRE = regexp.MustCompile(`^(.*) <([^<>]*)> \d+ [+-]\d{4}$`)

// Reviewer is the identity decisions are recorded under: git's own committer
// identity (user.name/user.email, or GIT_COMMITTER_* in the environment).
func (s *Session) Reviewer() (ledger.Person, error) {
	out, err := s.repo.Git("var", "GIT_COMMITTER_IDENT")
	if err != nil {
		return ledger.Person{}, fmt.Errorf("who is reviewing? set git config user.name and user.email (%v)", err)
	}
	m := identRE.FindStringSubmatch(strings.TrimSpace(string(out)))
	if m == nil || m[2] == "" {
		return ledger.Person{}, errors.New("who is reviewing? set git config user.name and user.email")
	}
	return ledger.Person{Name: m[1], Email: m[2]}, nil
}

func (s *Session) signerFromConfig() (ledger.Signer, error) {
	s.signerOnce.Do(func() {
		cfg, err := s.repo.Config()
		if err != nil {
			s.signerErr = err
			return
		}
		s.signer, s.signerErr = ledger.SignerFromConfig(cfg)
	})
	return s.signer, s.signerErr
}

// Decide signs the decision and appends it to the commit's note. It returns
// the commit's item with the new record and its check (a new value: a.Item
// is left as it was) and the record itself. Nothing is written when the
// comment, the identity or the key is missing.
func (s *Session) Decide(a *Analysis, d Decision) (Item, ledger.Entry, error) {
	comment := strings.TrimSpace(d.Comment)
	if !d.Accept && comment == "" {
		return Item{}, ledger.Entry{}, ErrCommentRequired
	}
	if d.Accept && s.cfg.Checklists.RequireComplete {
		if ticked, total := a.Progress(d.Ticks); ticked < total {
			return Item{}, ledger.Entry{}, fmt.Errorf("%w (%d of %d ticked)", ErrChecklistIncomplete, ticked, total)
		}
	}
	who, err := s.Reviewer()
	if err != nil {
		return Item{}, ledger.Entry{}, err
	}
	if s.detector.IsAIIdentity(who.Name, who.Email) {
		return Item{}, ledger.Entry{}, fmt.Errorf("%s <%s> is an AI identity: a decision must be a human's (set git config user.name and user.email)", who.Name, who.Email)
	}
	signer, err := s.signerFromConfig()
	if err != nil {
		return Item{}, ledger.Entry{}, err
	}
	p := ledger.Payload{
		Type:       ledger.RecordType,
		Commit:     a.Item.Commit.SHA,
		Tree:       a.Item.Commit.Tree,
		PatchID:    a.PatchID,
		Decision:   "reject",
		Reviewer:   who,
		Time:       time.Now().UTC().Format(recordTime),
		Comment:    comment,
		Checklists: checklistTicks(a, d.Ticks),
		Findings:   findingRefs(a.Findings),
		Evidence:   evidence(a.Item.Evidence),
		Tool:       ToolVersion(),
		Via:        d.Via,
		Coverage:   d.Coverage,
	}
	if d.Accept {
		p.Decision = "accept"
	}
	rec, err := ledger.Sign(signer, p)
	if err != nil {
		return Item{}, ledger.Entry{}, err
	}
	if err := s.store.Append(p.Commit, rec, true); err != nil {
		return Item{}, ledger.Entry{}, err
	}
	e := ledger.Entry{Record: rec, Payload: p, Ref: s.ref}
	s.rememberPatch(e)
	// The ticks are in the record now; a draft that outlived it would come
	// back if the decision is ever reverted. Losing it is harmless.
	_ = s.Drafts().Clear(p.Commit)
	return a.Item.WithRecord(e, s.Check(a.Item.Commit, e)), e, nil
}

// Ready says whether a decision could be signed and recorded now, and if
// not, what to set: the reviewer's identity, one that is not an AI's, and a
// signing key. The TUI asks at start, before a comment is typed.
func (s *Session) Ready() error {
	who, err := s.Reviewer()
	if err != nil {
		return err
	}
	if s.detector.IsAIIdentity(who.Name, who.Email) {
		return fmt.Errorf("%s <%s> is an AI identity: decisions must be a human's (set git config user.name and user.email)", who.Name, who.Email)
	}
	cfg, err := s.repo.Config()
	if err != nil {
		return err
	}
	if _, err := s.signerFromConfig(); err != nil {
		return err
	}
	if cfg.Get("gpg.format") == "ssh" {
		if key := cfg.Get("user.signingkey"); key != "" && !strings.HasPrefix(key, "key::") && !strings.HasPrefix(key, "ssh-") {
			path := key
			if rest, ok := strings.CutPrefix(key, "~/"); ok {
				if home, err := os.UserHomeDir(); err == nil {
					path = filepath.Join(home, rest)
				}
			}
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("git config user.signingKey names %s, which does not exist: point it at your SSH key (git config user.signingKey ~/.ssh/id_ed25519.pub)", key)
			}
		}
	}
	return nil
}

func findingRefs(fs []surface.Finding) []ledger.FindingRef {
	out := make([]ledger.FindingRef, 0, len(fs))
	for _, f := range fs {
		out = append(out, ledger.FindingRef{Category: f.Category, Rule: f.Rule, File: f.File, Line: f.Line})
	}
	return out
}

func evidence(ev []authorship.Evidence) []ledger.Evidence {
	out := make([]ledger.Evidence, 0, len(ev))
	for _, e := range ev {
		out = append(out, ledger.Evidence{Kind: e.Kind, Text: e.Text})
	}
	return out
}

// Warm builds the detectors' rule tables ahead of the first analysis; the
// TUI runs it on a spare core while it draws the first screen.
func (s *Session) Warm() { s.scanner.Warm() }
