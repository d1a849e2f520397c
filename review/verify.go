package review

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// VerifyOptions are the policy `vouch verify` applies on top of SPEC.md's
// rule (every AI commit needs a valid accept and no later valid reject);
// they add to the trusted revision's [verify] policy, never loosen it.
type VerifyOptions struct {
	AllowedSigners  string // a file outside the work tree; "" = gpg.ssh.allowedSignersFile, then the trusted revision's .vouch/allowed_signers
	RequireComplete bool   // a counting accept has every checklist item ticked
	RequireSeen     bool   // a counting accept had every surface-changing hunk on screen
	MinReviewers    int    // distinct reviewers with counting accepts
	NotAuthor       bool   // the reviewer is not the commit's author
	RequirePresence bool   // the key was a security key that was touched
	AllowCarryOver  bool   // a valid accept of the same patch on another commit counts
	// TrustRef is the revision whose .vouch/ (allowed signers, keys.asc,
	// [verify] policy) is trusted; "" = the merge base of the range with
	// the default branch. Never the change under review.
	TrustRef    string
	StrictTime  bool // keys and certificates must also be valid now, not only at the record's time
	SignedTrail bool // every notes commit that adds or removes a record is signed by a trusted key
}

// RecordReport is the verdict on one record.
type RecordReport struct {
	Ref          string        `json:"ref"`
	Line         int           `json:"line"`
	Decision     string        `json:"decision"`
	Reviewer     string        `json:"reviewer"`
	Time         string        `json:"time"`
	Status       ledger.Status `json:"status"`
	Fingerprint  string        `json:"fingerprint,omitempty"`
	UserPresence bool          `json:"user_presence,omitempty"`
	Problems     []string      `json:"problems"`
	Counts       bool          `json:"counts"` // valid and within policy: it decides the commit
	// CarriedFrom is the commit the record was made for, when it is carried
	// over to this one by patch id.
	CarriedFrom string `json:"carried_from,omitempty"`
}

// CommitReport is the verdict on one commit of the range.
type CommitReport struct {
	SHA        string         `json:"sha"`
	Subject    string         `json:"subject"`
	AI         bool           `json:"ai"`
	Assistants []string       `json:"assistants"`
	Verdict    string         `json:"verdict"` // accepted, rejected, unreviewed
	Violation  bool           `json:"violation"`
	Problems   []string       `json:"problems"`
	Records    []RecordReport `json:"records"`
}

// VerifyReport is what `vouch verify` prints.
type VerifyReport struct {
	Range          []string `json:"range"`
	AllowedSigners string   `json:"allowed_signers"`
	// Trusted says where the trust anchors came from: the revision (and
	// how it was chosen) or the files given outside the repository.
	Trusted    string         `json:"trusted"`
	TrustedRev string         `json:"trusted_rev,omitempty"`
	Commits    []CommitReport `json:"commits"`
	// Trail holds problems of the notes history itself (--signed-trail).
	Trail []string `json:"trail"`
	// Warnings are lines of the trusted files that could not be read.
	Warnings   []string `json:"warnings"`
	Violations int      `json:"violations"`
}

// policy is one set of requirements a commit's records are judged by: the
// [verify] policy, or one [[verify.rules]] entry on top of it.
type policy struct {
	name            string // "" for the base policy; the rule otherwise
	minReviewers    int
	requireComplete bool
	requireSeen     bool
	notAuthor       bool
	requirePresence bool
	allowCarryOver  bool
}

func basePolicy(opts VerifyOptions, c VerifyConfig) policy {
	return policy{
		minReviewers:    max(opts.MinReviewers, c.MinReviewers),
		requireComplete: opts.RequireComplete || c.RequireComplete,
		requireSeen:     opts.RequireSeen || c.RequireSeen,
		notAuthor:       opts.NotAuthor || c.NotAuthor,
		requirePresence: opts.RequirePresence || c.RequirePresence,
		allowCarryOver:  opts.AllowCarryOver || c.AllowCarryOver,
	}
}

// ruleSet is a [[verify.rules]] entry with its globs compiled.
type ruleSet struct {
	rule  VerifyRule
	name  string
	paths []*regexp.Regexp
	cats  map[string]bool
}

func compileRules(rules []VerifyRule) ([]ruleSet, error) {
	out := make([]ruleSet, 0, len(rules))
	for i, r := range rules {
		rs := ruleSet{rule: r, name: r.Name, cats: map[string]bool{}}
		if rs.name == "" {
			var what []string
			if len(r.Paths) > 0 {
				what = append(what, "paths "+strings.Join(r.Paths, ","))
			}
			if len(r.Categories) > 0 {
				what = append(what, "categories "+strings.Join(r.Categories, ","))
			}
			rs.name = fmt.Sprintf("verify.rules[%d] (%s)", i+1, strings.Join(what, "; "))
		}
		if len(r.Paths) == 0 && len(r.Categories) == 0 {
			return nil, fmt.Errorf("%s: verify.rules[%d] needs paths or categories", RepoConfigPath, i+1)
		}
		for _, g := range r.Paths {
			re, err := surface.Glob(g)
			if err != nil {
				return nil, fmt.Errorf("%s: verify.rules[%d]: path %q: %w", RepoConfigPath, i+1, g, err)
			}
			rs.paths = append(rs.paths, re)
		}
		for _, c := range r.Categories {
			rs.cats[c] = true
		}
		out = append(out, rs)
	}
	return out, nil
}

func (rs ruleSet) applies(paths []string, findings []surface.Finding) bool {
	for _, p := range paths {
		for _, re := range rs.paths {
			if re.MatchString(p) {
				return true
			}
		}
	}
	for _, f := range findings {
		if rs.cats[f.Category] {
			return true
		}
	}
	return false
}

func (rs ruleSet) over(base policy) policy {
	p := base
	p.name = rs.name
	p.minReviewers = max(p.minReviewers, rs.rule.MinReviewers)
	p.requireComplete = p.requireComplete || rs.rule.RequireComplete
	p.requireSeen = p.requireSeen || rs.rule.RequireSeen
	p.notAuthor = p.notAuthor || rs.rule.NotAuthor
	p.requirePresence = p.requirePresence || rs.rule.RequirePresence
	return p
}

// Verify checks every record of every commit in range against anchors read
// from outside the change (Session.Anchors).
func (s *Session) Verify(rangeArgs []string, opts VerifyOptions) (*VerifyReport, error) {
	// The trail of the session's notes ref loads while the range is listed
	// and the anchors read; it is the one used unless the trusted config
	// names another ref.
	type notesResult struct {
		notes map[string][]ledger.Entry
		err   error
	}
	ahead := make(chan notesResult, 1)
	go func() {
		n, err := s.store.Load()
		ahead <- notesResult{n, err}
	}()
	var loaded *notesResult
	trail := func() notesResult {
		if loaded == nil {
			r := <-ahead
			loaded = &r
		}
		return *loaded
	}
	defer trail()
	rangeArgs, commits, err := s.rangeCommits(rangeArgs)
	if err != nil {
		return nil, err
	}
	// While the trail loads, read ahead the patch ids of the commits that
	// look AI-authored; any other commit's is read when needed.
	s.prefetchPatchIDs(commits, func(c repo.Commit) bool { return s.item(c).AI() })
	anchors, err := s.Anchors(rangeArgs, opts)
	if err != nil {
		return nil, err
	}
	rules, err := compileRules(anchors.Policy.Rules)
	if err != nil {
		return nil, err
	}
	// The paths each commit changed come from a git process of their own,
	// read while the trail loads and its signatures are checked. Without a
	// rule that names paths, only changes under .vouch/ matter.
	byPath := false
	for _, r := range rules {
		byPath = byPath || len(r.paths) > 0
	}
	type pathsResult struct {
		paths map[string][]string
		err   error
	}
	pathsDone := make(chan pathsResult, 1)
	go func() {
		var p map[string][]string
		var err error
		if byPath {
			p, err = s.repo.PathsInRange(rangeArgs)
		} else {
			p, err = s.repo.PathsUnder(commits, trustDir)
		}
		pathsDone <- pathsResult{p, err}
	}()
	var notes map[string][]ledger.Entry
	if anchors.NotesRef == s.ref {
		t := trail()
		notes, err = t.notes, t.err
	} else {
		notes, err = s.storeFor(anchors.NotesRef).Load()
	}
	if err != nil {
		<-pathsDone
		return nil, err
	}
	var inRange []ledger.Entry
	for _, c := range commits {
		inRange = append(inRange, notes[c.SHA]...)
	}
	sigs := verifyAhead(anchors.Verifier, inRange)
	pr := <-pathsDone
	if pr.err != nil {
		return nil, pr.err
	}
	paths := pr.paths
	rep := &VerifyReport{Range: rangeArgs, AllowedSigners: anchors.SignersPath, Trusted: anchors.Source,
		TrustedRev: anchors.Rev, Commits: []CommitReport{}, Trail: []string{}, Warnings: append([]string{}, anchors.Problems...)}
	base := basePolicy(opts, anchors.Policy)
	byPatch := indexByPatch(notes)
	needFindings := false
	for _, r := range rules {
		needFindings = needFindings || len(r.cats) > 0
	}
	for n, c := range commits {
		s.tell(n, len(commits))
		it := itemWith(anchors.Detector, c)
		it.Records = notes[c.SHA]
		trustChange := touchesTrust(paths[c.SHA])
		if !it.AI() && len(it.Records) == 0 && !trustChange {
			continue
		}
		var findings []surface.Finding
		if needFindings && it.AI() {
			if findings, err = s.trustedFindings(c, anchors); err != nil {
				return nil, err
			}
		}
		var applied []policy
		for _, r := range rules {
			if r.applies(paths[c.SHA], findings) {
				applied = append(applied, r.over(base))
			}
		}
		cr := s.verifyCommit(it, anchors, base, applied, trustChange, byPatch, sigs)
		if cr.Violation {
			rep.Violations++
		}
		rep.Commits = append(rep.Commits, cr)
	}
	if opts.SignedTrail || anchors.Policy.SignedTrail {
		problems, err := s.checkTrail(anchors, anchors.NotesRef)
		if err != nil {
			return nil, err
		}
		rep.Trail = problems
		rep.Violations += len(problems)
	}
	return rep, nil
}

// signatures are the verifications of a range's record lines, made ahead
// on every CPU (a commit holds one or two records, too few to spread), by
// line: a record's verification depends on its line alone.
type signatures map[string]ledger.Verification

func verifyAhead(v *ledger.Verifier, entries []ledger.Entry) signatures {
	var good []ledger.Entry
	for _, e := range entries {
		if e.Err == nil {
			good = append(good, e)
		}
	}
	out := make(signatures, len(good))
	for i, ver := range v.VerifyEntries(good) {
		out[good[i].Raw] = ver
	}
	return out
}

// verify is v.VerifyEntries(entries), from what was verified ahead where
// it can be.
func (sigs signatures) verify(v *ledger.Verifier, entries []ledger.Entry) []ledger.Verification {
	out := make([]ledger.Verification, len(entries))
	var rest []ledger.Entry
	var at []int
	for i, e := range entries {
		if ver, ok := sigs[e.Raw]; ok && e.Err == nil {
			out[i] = ver
			continue
		}
		rest = append(rest, e)
		at = append(at, i)
	}
	for k, ver := range v.VerifyEntries(rest) {
		out[at[k]] = ver
	}
	return out
}

// judged is one record weighed for one commit, before any policy flag.
type judged struct {
	report  RecordReport
	at      time.Time
	valid   bool     // signature valid, not replayed, in time, not an AI reviewer
	missing []string // checklists not fully ticked
	unseen  string   // why the record does not show every surface hunk read ("" when it does)
	author  bool     // the reviewer is the commit's author
	noTouch bool     // no security-key touch on the signature
	carried bool     // recorded for another commit with the same patch
	who     string   // the key (or certificate principal) that signed
}

func (j judged) decision() string { return j.report.Decision }

// counts is whether the record decides the commit under p.
func (j judged) counts(p policy) bool {
	if !j.valid {
		return false
	}
	if j.decision() == ledger.Reject {
		return true // a reject never grants anything: it always counts
	}
	return !(j.carried && !p.allowCarryOver) && !(p.requireComplete && len(j.missing) > 0) && !(p.requireSeen && j.unseen != "") &&
		!(p.notAuthor && j.author) && !(p.requirePresence && j.noTouch)
}

// why lists what keeps a valid accept from counting under p.
func (j judged) why(p policy) []string {
	var out []string
	if j.decision() != ledger.Accept {
		return nil
	}
	if p.requireComplete {
		out = append(out, j.missing...)
	}
	if p.requireSeen && j.unseen != "" {
		out = append(out, j.unseen)
	}
	if p.notAuthor && j.author {
		out = append(out, "reviewer is the commit's author")
	}
	if p.requirePresence && j.noTouch {
		out = append(out, "no security-key touch (user presence) on the signature")
	}
	return out
}

// weigh judges one record for commit c. floor is the earliest time a
// decision about this patch can honestly carry.
func (s *Session) weigh(c repo.Commit, patchID string, patchErr error, e ledger.Entry, ver ledger.Verification, det *authorship.Detector, carried bool, floor time.Time) judged {
	j := judged{carried: carried, report: RecordReport{Ref: e.Ref, Line: e.Line, Status: ver.Status, Problems: []string{}}}
	if e.Err != nil {
		j.report.Problems = append(j.report.Problems, "unreadable note line: "+e.Err.Error())
		return j
	}
	p := e.Payload
	j.report.Decision, j.report.Time = p.Decision, p.Time
	j.report.Reviewer = p.Reviewer.Name + " <" + p.Reviewer.Email + ">"
	j.report.Fingerprint, j.report.UserPresence = ver.Fingerprint, ver.UserPresence
	j.who = ver.Identity()
	var problems []string
	if ver.Status != ledger.StatusValid && ver.Detail != "" {
		problems = append(problems, ver.Detail)
	}
	if carried {
		j.report.CarriedFrom = p.Commit
	} else if p.Commit != c.SHA {
		problems = append(problems, "replayed: signed for commit "+short(p.Commit))
	} else if p.Tree != c.Tree {
		problems = append(problems, "replayed: signed for tree "+short(p.Tree))
	} else if patchErr != nil {
		problems = append(problems, "patch id: "+patchErr.Error())
	} else if p.PatchID != patchID {
		problems = append(problems, "replayed: signed for patch "+short(p.PatchID))
	}
	j.at, _ = time.Parse(time.RFC3339, p.Time)
	if !floor.IsZero() && j.at.Before(floor.Add(-ledger.ClockSkew)) {
		problems = append(problems, fmt.Sprintf("dated %s, before the commit it decides existed (%s)", p.Time, floor.UTC().Format(time.RFC3339)))
	}
	if det.IsAIIdentity(p.Reviewer.Name, p.Reviewer.Email) {
		problems = append(problems, "signed by an AI identity")
	}
	for _, ct := range p.Checklists {
		if len(ct.Ticked) < ct.Total {
			j.missing = append(j.missing, fmt.Sprintf("checklist %s incomplete (%d/%d)", ct.ID, len(ct.Ticked), ct.Total))
		}
	}
	switch cv := p.Coverage; {
	case cv == nil:
		j.unseen = "no record of what was on screen (decided outside the review screen)"
	case cv.SurfaceSeen < cv.SurfaceHunks:
		j.unseen = fmt.Sprintf("%d of %d surface-changing hunks were on screen", cv.SurfaceSeen, cv.SurfaceHunks)
	}
	j.author = authorship.NormalizeIdentity(p.Reviewer.Email) == authorship.NormalizeIdentity(c.AuthorEmail)
	j.noTouch = !ver.UserPresence
	j.valid = ver.Status == ledger.StatusValid && len(problems) == 0
	j.report.Problems = append(j.report.Problems, problems...)
	return j
}

// decide is the verdict of records under one policy: the latest counting
// record wins (a reject on a tie), and an accept needs enough distinct
// reviewer keys among the accepts since the latest counting reject.
func decide(js []judged, p policy) (verdict string, problems []string) {
	latest, lastReject := -1, -1
	for i, j := range js {
		if !j.counts(p) {
			continue
		}
		if latest < 0 || j.at.After(js[latest].at) || (j.at.Equal(js[latest].at) && j.decision() == ledger.Reject) {
			latest = i
		}
		if j.decision() == ledger.Reject && (lastReject < 0 || j.at.After(js[lastReject].at)) {
			lastReject = i
		}
	}
	switch {
	case latest < 0:
		return "unreviewed", nil
	case js[latest].decision() == ledger.Reject:
		return "rejected", nil
	}
	if p.minReviewers > 1 {
		keys := map[string]bool{}
		for _, j := range js {
			if j.counts(p) && j.decision() == ledger.Accept && (lastReject < 0 || j.at.After(js[lastReject].at)) {
				keys[j.who] = true
			}
		}
		if len(keys) < p.minReviewers {
			problems = append(problems, fmt.Sprintf("%d distinct reviewer key(s) accepted; policy wants %d", len(keys), p.minReviewers))
		}
	}
	return "accepted", problems
}

func (s *Session) verifyCommit(it Item, a *Anchors, base policy, rules []policy, trustChange bool, byPatch map[string][]ledger.Entry, sigs signatures) CommitReport {
	c := it.Commit
	cr := CommitReport{SHA: c.SHA, Subject: c.Subject(), AI: it.AI(), Assistants: it.Assistants(),
		Verdict: "unreviewed", Problems: []string{}, Records: []RecordReport{}}
	if cr.Assistants == nil {
		cr.Assistants = []string{}
	}
	patchID, patchErr := s.patchID(c)
	if c.ShallowBoundary {
		// The parent is not in this clone: the diff, and so the patch id,
		// would be against nothing.
		patchErr = errors.New("this shallow clone lacks the commit's parent, so its patch cannot be checked: fetch the full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)")
	}

	// The commit's own records, then those of the same patch on other
	// commits (a rebase or cherry-pick): one list, one rule.
	entries := append([]ledger.Entry{}, it.Records...)
	carriedFrom := len(entries)
	if patchErr == nil && patchID != "" {
		for _, e := range byPatch[patchID] {
			if e.Payload.Commit != c.SHA {
				entries = append(entries, e)
			}
		}
	}
	verdicts := sigs.verify(a.Verifier, entries)
	floors := map[string]time.Time{}
	js := make([]judged, len(entries))
	for i, e := range entries {
		carried := i >= carriedFrom
		floor := c.CommitTime
		if carried {
			floor = s.commitTimeOf(e.Payload.Commit, c.AuthorTime, floors)
		}
		js[i] = s.weigh(c, patchID, patchErr, e, verdicts[i], a.Detector, carried, floor)
		if !js[i].carried || js[i].valid {
			rr := js[i].report
			if why := js[i].why(base); len(why) > 0 && js[i].valid {
				rr.Problems = append(rr.Problems, why...)
			}
			rr.Counts = js[i].counts(base)
			cr.Records = append(cr.Records, rr)
		}
	}
	var problems []string
	cr.Verdict, problems = decide(js, base)
	cr.Problems = append(cr.Problems, problems...)
	if cr.Verdict == "unreviewed" && !base.allowCarryOver {
		for _, j := range js {
			if j.carried && j.valid && j.decision() == ledger.Accept {
				cr.Problems = append(cr.Problems, fmt.Sprintf("accepted as %s by %s (same patch id, before a rebase or cherry-pick): not counted; re-sign it, or pass --allow-carry-over", short(j.report.CarriedFrom), j.report.Reviewer))
				break
			}
		}
	}
	for _, p := range rules {
		v, problems := decide(js, p)
		if v != "accepted" {
			why := []string{}
			for _, j := range js {
				if j.valid && !j.counts(p) {
					why = append(why, j.why(p)...)
				}
			}
			reason := v
			if len(why) > 0 {
				reason = strings.Join(why, "; ")
			}
			problems = append([]string{"no accept that meets it (" + reason + ")"}, problems...)
		}
		for _, pr := range problems {
			cr.Problems = append(cr.Problems, "rule "+p.name+": "+pr)
		}
	}
	need := cr.AI || trustChange
	if need {
		switch cr.Verdict {
		case "unreviewed":
			if cr.AI {
				cr.Problems = append([]string{"AI-authored commit without a valid accept"}, cr.Problems...)
			}
		case "rejected":
			cr.Problems = append([]string{"rejected"}, cr.Problems...)
		}
		if trustChange && cr.Verdict != "accepted" {
			cr.Problems = append(cr.Problems, "changes .vouch/ (who may sign, keys, policy) without a valid accept by a signer trusted at "+trustName(a))
		}
		cr.Violation = len(cr.Problems) > 0
	}
	return cr
}

func trustName(a *Anchors) string {
	if a.Rev != "" {
		return short(a.Rev)
	}
	return a.SignersPath
}

// commitTimeOf is when a commit was made, for a record carried over from
// it; when that commit is gone (a rebase left it unreachable and it was
// pruned), fallback (the author time the rebase kept) bounds it.
func (s *Session) commitTimeOf(sha string, fallback time.Time, cache map[string]time.Time) time.Time {
	if t, ok := cache[sha]; ok {
		return t
	}
	t := fallback
	if c, err := s.repo.Commit(sha); err == nil {
		t = c.CommitTime
	}
	cache[sha] = t
	return t
}

// trail reads a range (nil: the default range) and every record of the
// trail, local and fetched from other clones.
func (s *Session) trail(rangeArgs []string) ([]string, []repo.Commit, map[string][]ledger.Entry, error) {
	rangeArgs, commits, err := s.rangeCommits(rangeArgs)
	if err != nil {
		return nil, nil, nil, err
	}
	notes, err := s.store.Load()
	if err != nil {
		return nil, nil, nil, err
	}
	return rangeArgs, commits, notes, nil
}

// rangeCommits resolves a range (nil: the default range) to its commits.
func (s *Session) rangeCommits(rangeArgs []string) ([]string, []repo.Commit, error) {
	var err error
	if len(rangeArgs) == 0 {
		if rangeArgs, err = s.repo.DefaultRange(); err != nil {
			return nil, nil, err
		}
	}
	commits, err := s.repo.Log(rangeArgs)
	if err == nil {
		set := make(map[string]bool, len(commits))
		for _, c := range commits {
			set[c.SHA] = true
		}
		s.rangeMu.Lock()
		s.rangeArgs, s.rangeSet = slices.Clone(rangeArgs), set
		s.rangeMu.Unlock()
	}
	return rangeArgs, commits, err
}

// inRange is repo.InRange, answered from the range rangeCommits listed
// last when it is this one and its set of commits does not depend on the
// order git lists them in (no -n, --max-count or --skip).
func (s *Session) inRange(sha string, rangeArgs []string) (bool, error) {
	s.rangeMu.Lock()
	known, set := slices.Equal(rangeArgs, s.rangeArgs) && s.rangeSet != nil, s.rangeSet
	s.rangeMu.Unlock()
	for _, a := range rangeArgs {
		if strings.HasPrefix(a, "-n") || strings.HasPrefix(a, "--max-count") || strings.HasPrefix(a, "--skip") {
			known = false
		}
	}
	if known {
		return set[sha], nil
	}
	return s.repo.InRange(sha, rangeArgs)
}

// storeFor is the trail on ref: the session's own store when it is the
// session's ref.
func (s *Session) storeFor(ref string) *ledger.Store {
	if ref == s.ref {
		return s.store
	}
	return ledger.NewStore(s.repo, ref)
}

func (s *Session) patchID(c repo.Commit) (string, error) {
	if id, ok := s.prefetched(c.SHA); ok {
		return id, nil
	}
	d, err := s.stream().Diff(c, s.limits)
	if err != nil {
		return "", err
	}
	return d.PatchID, nil
}

func short(sha string) string {
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}

// LogEntry is one record of the trail, as `vouch log` shows it.
type LogEntry struct {
	SHA      string        `json:"sha"`
	Subject  string        `json:"subject"`
	Decision string        `json:"decision"`
	Reviewer string        `json:"reviewer"`
	Time     string        `json:"time"`
	Status   ledger.Status `json:"status"` // "unchecked" when no allowed signers are configured
	Ticked   int           `json:"ticked"`
	Total    int           `json:"total"`
	Findings []string      `json:"findings"` // categories recorded with the decision
	Comment  string        `json:"comment"`
	Via      string        `json:"via"`
	// Coverage is what the reviewer had on screen (decisions made in the TUI).
	Coverage *ledger.Coverage `json:"coverage,omitempty"`
	Ref      string           `json:"ref"`
	Problem  string           `json:"problem,omitempty"` // an unreadable note line
	// CarriedFrom is set when the record belongs to another commit with the
	// same patch id (before a rebase or cherry-pick); it does not count here.
	CarriedFrom string `json:"carried_from,omitempty"`
	recordTime  time.Time
}

// Log lists the records of the range's commits, newest first.
func (s *Session) Log(rangeArgs []string, allowedSigners string) ([]LogEntry, error) {
	rangeArgs, commits, notes, err := s.trail(rangeArgs)
	if err != nil {
		return nil, err
	}
	// The trail is shown whatever the anchors; without them it is
	// unchecked. A file the user named that cannot be used is an error.
	var v *ledger.Verifier
	a, err := s.shownAnchors(rangeArgs, VerifyOptions{AllowedSigners: allowedSigners})
	switch {
	case err == nil:
		v = a.Verifier
	case allowedSigners != "":
		return nil, err
	}
	out := []LogEntry{}
	byPatch := indexByPatch(notes)
	s.prefetchPatchIDs(commits, func(c repo.Commit) bool { return len(notes[c.SHA]) == 0 && len(byPatch) > 0 })
	for n, c := range commits {
		s.tell(n, len(commits))
		entries := notes[c.SHA]
		carried := false
		if len(entries) == 0 && len(byPatch) > 0 {
			pid, err := s.patchID(c)
			if err != nil {
				return nil, err
			}
			for _, e := range byPatch[pid] {
				if e.Payload.Commit != c.SHA {
					entries = append(entries, e)
					carried = true
				}
			}
		}
		var verdicts []ledger.Verification
		if v != nil {
			verdicts = v.VerifyEntries(entries)
		}
		for i, e := range entries {
			le := LogEntry{SHA: c.SHA, Subject: c.Subject(), Ref: e.Ref, Status: "unchecked", Findings: []string{}}
			if carried {
				le.CarriedFrom = e.Payload.Commit
			}
			if verdicts != nil {
				le.Status = verdicts[i].Status
			}
			if e.Err != nil {
				le.Problem = "note line " + fmt.Sprint(e.Line) + " unreadable: " + e.Err.Error()
				out = append(out, le)
				continue
			}
			p := e.Payload
			le.Decision, le.Time, le.Comment, le.Via, le.Coverage = p.Decision, p.Time, p.Comment, p.Via, p.Coverage
			le.Reviewer = p.Reviewer.Name + " <" + p.Reviewer.Email + ">"
			le.recordTime, _ = time.Parse(time.RFC3339, p.Time)
			for _, ct := range p.Checklists {
				le.Ticked += len(ct.Ticked)
				le.Total += ct.Total
			}
			seen := map[string]bool{}
			for _, f := range p.Findings {
				if !seen[f.Category] {
					seen[f.Category] = true
					le.Findings = append(le.Findings, f.Category)
				}
			}
			out = append(out, le)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].recordTime.After(out[j].recordTime) })
	return out, nil
}
