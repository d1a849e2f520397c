package review

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
)

// RepoAllowedSigners is the repository's own allowed_signers file, used when
// neither --allowed-signers nor gpg.ssh.allowedSignersFile names one.
const RepoAllowedSigners = ".vouch/allowed_signers"

// VerifyOptions are the policy `vouch verify` applies on top of SPEC.md's
// rule (every AI commit needs a valid accept and no later valid reject).
type VerifyOptions struct {
	AllowedSigners  string // path; "" = gpg.ssh.allowedSignersFile, then .vouch/allowed_signers
	RequireComplete bool   // a counting accept has every checklist item ticked
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
	// Trusted says where the trust anchors came from: "revision SHA (how
	// chosen)" or the files given outside the repository.
	Trusted    string         `json:"trusted"`
	Commits    []CommitReport `json:"commits"`
	Violations int            `json:"violations"`
}

// ErrNoAllowedSigners names the three places the file can come from.
var ErrNoAllowedSigners = errors.New("no allowed signers: pass --allowed-signers FILE, set git config gpg.ssh.allowedSignersFile, or commit " + RepoAllowedSigners)

func (s *Session) verifier(opts VerifyOptions) (*ledger.Verifier, string, error) {
	cfg, err := s.repo.Config()
	if err != nil {
		return nil, "", err
	}
	// The OpenPGP keyring: vouch.keyring, else the repository's
	// .vouch/keys.asc. Having none is no error: OpenPGP records are then
	// reported unsupported. A configured path that cannot be read is.
	v := &ledger.Verifier{}
	if kp := expandHome(cfg.Get("vouch.keyring")); kp != "" {
		if v.Keyring, err = ledger.LoadKeyring(kp); err != nil {
			return nil, "", err
		}
	} else {
		data, rerr := s.repoFile(".vouch/keys.asc")
		if rerr != nil {
			return nil, "", fmt.Errorf(".vouch/keys.asc: %w", rerr)
		}
		if data != nil {
			if v.Keyring, err = ledger.ParseKeyring(data); err != nil {
				return nil, "", fmt.Errorf("OpenPGP keyring .vouch/keys.asc: %w", err)
			}
		} else if pub := gpgPublicKeys(cfg); pub != nil {
			// gpg's own public keyring, as `gpg --verify` would use.
			v.Keyring, _ = ledger.ParseKeyring(pub)
		}
	}
	path := opts.AllowedSigners
	if path == "" {
		path = expandHome(cfg.Get("gpg.ssh.allowedSignersFile"))
	}
	var signers *ledger.AllowedSigners
	switch {
	case path != "":
		signers, err = ledger.LoadAllowedSigners(path)
		if signers == nil && err != nil {
			return nil, "", err
		}
	default:
		// The repository's own file: .vouch/config.toml's allowed_signers
		// (a path in the repository), else .vouch/allowed_signers.
		rel := RepoAllowedSigners
		if s.cfg.AllowedSigners != "" {
			rel = s.cfg.AllowedSigners
		}
		data, rerr := s.repoFile(rel)
		if rerr != nil || data == nil {
			if v.Keyring == nil {
				return nil, "", ErrNoAllowedSigners
			}
			// An OpenPGP-only team: no SSH key is allowed to sign.
			signers, _ = ledger.ParseAllowedSigners(nil)
			break
		}
		path = rel
		signers, err = ledger.ParseAllowedSigners(data)
		if signers == nil && err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	v.Signers = signers
	if rf := expandHome(cfg.Get("gpg.ssh.revocationFile")); rf != "" {
		if v.Revoked, err = ledger.LoadRevoked(rf); err != nil {
			return nil, "", err
		}
	}
	return v, path, nil
}

// repoFile reads a file of the repository: the work tree, or HEAD's tree
// in a bare repository. A missing file is nil, nil.
func (s *Session) repoFile(rel string) ([]byte, error) {
	if !s.repo.Bare() {
		data, err := os.ReadFile(filepath.Join(s.repo.Dir(), rel))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return data, err
	}
	out, err := s.repo.Git("cat-file", "blob", "HEAD:"+rel)
	if err != nil {
		return nil, nil
	}
	return out, nil
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}

// withConfig adds the config's [verify] policy to the flags' options.
func (s *Session) withConfig(opts VerifyOptions) VerifyOptions {
	c := s.cfg.Verify
	opts.RequireComplete = opts.RequireComplete || c.RequireComplete
	opts.MinReviewers = max(opts.MinReviewers, c.MinReviewers)
	opts.NotAuthor = opts.NotAuthor || c.NotAuthor
	opts.RequirePresence = opts.RequirePresence || c.RequirePresence
	opts.AllowCarryOver = opts.AllowCarryOver || c.AllowCarryOver
	return opts
}

// trail reads a range (nil: the default range) and every record of the
// trail, local and fetched from other clones.
func (s *Session) trail(rangeArgs []string) ([]string, []repo.Commit, map[string][]ledger.Entry, error) {
	var err error
	if len(rangeArgs) == 0 {
		if rangeArgs, err = s.repo.DefaultRange(); err != nil {
			return nil, nil, nil, err
		}
	}
	commits, err := s.repo.Log(rangeArgs)
	if err != nil {
		return nil, nil, nil, err
	}
	notes, err := s.store.Load()
	if err != nil {
		return nil, nil, nil, err
	}
	return rangeArgs, commits, notes, nil
}

// Verify checks every record of every commit in range.
func (s *Session) Verify(rangeArgs []string, opts VerifyOptions) (*VerifyReport, error) {
	opts = s.withConfig(opts)
	v, signersPath, err := s.verifier(opts)
	if err != nil {
		return nil, err
	}
	rangeArgs, commits, notes, err := s.trail(rangeArgs)
	if err != nil {
		return nil, err
	}
	rep := &VerifyReport{Range: rangeArgs, AllowedSigners: signersPath, Commits: []CommitReport{}}
	byPatch := indexByPatch(notes)
	for _, c := range commits {
		it := s.item(c)
		it.Records = notes[c.SHA]
		if !it.AI() && len(it.Records) == 0 {
			continue
		}
		cr := s.verifyCommit(it, v, opts, byPatch)
		if cr.Violation {
			rep.Violations++
		}
		rep.Commits = append(rep.Commits, cr)
	}
	return rep, nil
}

func (s *Session) verifyCommit(it Item, v *ledger.Verifier, opts VerifyOptions, byPatch map[string][]ledger.Entry) CommitReport {
	c := it.Commit
	cr := CommitReport{SHA: c.SHA, Subject: c.Subject(), AI: it.AI(), Assistants: it.Assistants(),
		Verdict: "unreviewed", Problems: []string{}, Records: []RecordReport{}}
	if cr.Assistants == nil {
		cr.Assistants = []string{}
	}
	verdicts := v.VerifyEntries(it.Records)
	patchID, patchErr := "", error(nil)
	patchRead := false
	var latest *RecordReport
	var latestTime time.Time
	for i, e := range it.Records {
		rr := RecordReport{Ref: e.Ref, Line: e.Line, Status: verdicts[i].Status, Problems: []string{}}
		if e.Err != nil {
			rr.Problems = append(rr.Problems, "unreadable note line: "+e.Err.Error())
			cr.Records = append(cr.Records, rr)
			continue
		}
		p := e.Payload
		rr.Decision, rr.Time = p.Decision, p.Time
		rr.Reviewer = p.Reviewer.Name + " <" + p.Reviewer.Email + ">"
		rr.Fingerprint, rr.UserPresence = verdicts[i].Fingerprint, verdicts[i].UserPresence
		if verdicts[i].Status != ledger.StatusValid && verdicts[i].Detail != "" {
			rr.Problems = append(rr.Problems, verdicts[i].Detail)
		}
		// Replayed: a record signed for another commit, tree or patch.
		if p.Commit != c.SHA {
			rr.Problems = append(rr.Problems, "replayed: signed for commit "+short(p.Commit))
		} else if p.Tree != c.Tree {
			rr.Problems = append(rr.Problems, "replayed: signed for tree "+short(p.Tree))
		} else {
			if !patchRead {
				patchRead = true
				patchID, patchErr = s.patchID(c)
			}
			if patchErr != nil {
				rr.Problems = append(rr.Problems, "patch id: "+patchErr.Error())
			} else if p.PatchID != patchID {
				rr.Problems = append(rr.Problems, "replayed: signed for patch "+short(p.PatchID))
			}
		}
		if s.detector.IsAIIdentity(p.Reviewer.Name, p.Reviewer.Email) {
			rr.Problems = append(rr.Problems, "signed by an AI identity")
		}
		if p.Decision == "accept" {
			if opts.RequireComplete {
				for _, ct := range p.Checklists {
					if len(ct.Ticked) < ct.Total {
						rr.Problems = append(rr.Problems, fmt.Sprintf("checklist %s incomplete (%d/%d)", ct.ID, len(ct.Ticked), ct.Total))
					}
				}
			}
			if opts.NotAuthor && strings.EqualFold(p.Reviewer.Email, c.AuthorEmail) {
				rr.Problems = append(rr.Problems, "reviewer is the commit's author")
			}
			if opts.RequirePresence && !verdicts[i].UserPresence {
				rr.Problems = append(rr.Problems, "no security-key touch (user presence) on the signature")
			}
		}
		rr.Counts = verdicts[i].Status == ledger.StatusValid && len(rr.Problems) == 0 &&
			(p.Decision == "accept" || p.Decision == "reject")
		cr.Records = append(cr.Records, rr)
		if rr.Counts {
			t, _ := time.Parse(time.RFC3339, p.Time)
			if latest == nil || !t.Before(latestTime) {
				latest, latestTime = &cr.Records[len(cr.Records)-1], t
			}
		}
	}
	if latest != nil {
		cr.Verdict = map[string]string{"accept": "accepted", "reject": "rejected"}[latest.Decision]
	}
	if cr.AI && latest == nil {
		if !patchRead {
			patchRead = true
			patchID, patchErr = s.patchID(c)
		}
		if patchErr == nil {
			s.carryOver(&cr, c.SHA, byPatch[patchID], v, opts)
		}
	}
	if cr.AI {
		switch cr.Verdict {
		case "unreviewed":
			cr.Problems = append(cr.Problems, "AI-authored commit without a valid accept")
		case "rejected":
			cr.Problems = append(cr.Problems, "rejected")
		}
		if cr.Verdict == "accepted" && opts.MinReviewers > 1 {
			who := map[string]bool{}
			for _, r := range cr.Records {
				if r.Counts && r.Decision == "accept" {
					who[strings.ToLower(r.Reviewer)] = true
				}
			}
			if len(who) < opts.MinReviewers {
				cr.Problems = append(cr.Problems, fmt.Sprintf("%d distinct reviewer(s) accepted; policy wants %d", len(who), opts.MinReviewers))
			}
		}
		cr.Violation = len(cr.Problems) > 0
	}
	return cr
}

// carryOver looks at accepts of the same patch on other commits (a rebase or
// cherry-pick of a reviewed change). They count only when policy allows it;
// otherwise the report says what re-signing would settle.
func (s *Session) carryOver(cr *CommitReport, sha string, entries []ledger.Entry, v *ledger.Verifier, opts VerifyOptions) {
	for _, e := range entries {
		p := e.Payload
		if p.Commit == sha || p.Decision != "accept" {
			continue
		}
		ver := v.Verify(e.Record, p)
		if ver.Status != ledger.StatusValid || s.detector.IsAIIdentity(p.Reviewer.Name, p.Reviewer.Email) {
			continue
		}
		who := p.Reviewer.Name + " <" + p.Reviewer.Email + ">"
		if !opts.AllowCarryOver {
			cr.Problems = append(cr.Problems, fmt.Sprintf("accepted as %s by %s (same patch id, before a rebase or cherry-pick): not counted; re-sign it, or pass --allow-carry-over", short(p.Commit), who))
			return
		}
		cr.Verdict = "accepted"
		cr.Records = append(cr.Records, RecordReport{Ref: e.Ref, Line: e.Line, Decision: p.Decision, Reviewer: who, Time: p.Time,
			Status: ver.Status, Fingerprint: ver.Fingerprint, Counts: true,
			Problems: []string{"carried over from " + short(p.Commit) + " (same patch id)"}})
		return
	}
}

func (s *Session) patchID(c repo.Commit) (string, error) {
	patch, err := s.repo.Patch(c)
	if err != nil {
		return "", err
	}
	return s.repo.PatchID(patch)
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
	Ref      string        `json:"ref"`
	Problem  string        `json:"problem,omitempty"` // an unreadable note line
	// CarriedFrom is set when the record belongs to another commit with the
	// same patch id (before a rebase or cherry-pick); it does not count here.
	CarriedFrom string `json:"carried_from,omitempty"`
	recordTime  time.Time
}

// Log lists the records of the range's commits, newest first.
func (s *Session) Log(rangeArgs []string, allowedSigners string) ([]LogEntry, error) {
	v, _, verr := s.verifier(VerifyOptions{AllowedSigners: allowedSigners})
	if verr != nil && !errors.Is(verr, ErrNoAllowedSigners) {
		return nil, verr
	}
	_, commits, notes, err := s.trail(rangeArgs)
	if err != nil {
		return nil, err
	}
	out := []LogEntry{}
	byPatch := indexByPatch(notes)
	for _, c := range commits {
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
			le.Decision, le.Time, le.Comment, le.Via = p.Decision, p.Time, p.Comment, p.Via
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

// gpgPublicKeys exports gpg's public keyring, or nil when gpg or its home
// directory is missing (never creating one: gpg would make ~/.gnupg).
func gpgPublicKeys(cfg repo.Config) []byte {
	home := os.Getenv("GNUPGHOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return nil
		}
		home = filepath.Join(h, ".gnupg")
	}
	if _, err := os.Stat(filepath.Join(home, "pubring.kbx")); err != nil {
		if _, err := os.Stat(filepath.Join(home, "pubring.gpg")); err != nil {
			return nil
		}
	}
	prog := cfg.Get("gpg.openpgp.program")
	if prog == "" {
		prog = cfg.Get("gpg.program")
	}
	if prog == "" {
		prog = "gpg"
	}
	out, err := exec.Command(prog, "--batch", "--export").Output()
	if err != nil || len(out) == 0 {
		return nil
	}
	return out
}
