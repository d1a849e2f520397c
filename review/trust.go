package review

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/ledger"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// Files under .vouch/ that anchor trust, read from the trusted revision.
const (
	RepoAllowedSigners = ".vouch/allowed_signers"
	RepoKeyring        = ".vouch/keys.asc"
	RepoRevokedKeys    = ".vouch/revoked_keys"
	trustDir           = ".vouch/"
)

// ErrNoAllowedSigners names the places the file can come from.
var ErrNoAllowedSigners = errors.New("no allowed signers: commit " + RepoAllowedSigners + " on the default branch, pass --allowed-signers FILE (outside the repository), or set git config gpg.ssh.allowedSignersFile")

// Anchors are what a verdict trusts: who may sign, the [verify] policy, and
// the AI markers that decide which commits need a review. None of it comes
// from the change under review: the files are read from a trusted revision
// (by default the merge base of the range with the default branch) or from
// files outside the repository that the user named.
type Anchors struct {
	Verifier *ledger.Verifier
	Policy   VerifyConfig
	Detector *authorship.Detector
	// Rev is the trusted revision ("" when none was needed or found).
	Rev string
	// NotesRef is where the trail is read from: --ref, else the trusted
	// config's notes_ref, never one the change under review names.
	NotesRef string
	// Source says, for the report, where each anchor came from.
	Source string
	// SignersPath names the allowed signers: a file, or REV:.vouch/allowed_signers.
	SignersPath string
	// Problems are lines of the trusted files that could not be read; they
	// never stop verification, but the report shows them.
	Problems []string
	// scanner and surfacePolicy find what [[verify.rules]] categories match,
	// with the trusted policy: a change cannot switch off the detection
	// that would put it under a rule.
	scanner       *surface.Scanner
	surfacePolicy *surface.CompiledPolicy
}

// trustedRevision picks the revision trust is read from: --trust-ref, else
// the merge base of the range's tip with the default branch. how says why.
func (s *Session) trustedRevision(rangeArgs []string, trustRef string) (rev, how string, err error) {
	if trustRef != "" {
		rev, err := s.repo.ResolveCommit(trustRef)
		if err != nil {
			return "", "", fmt.Errorf("--trust-ref: %w", err)
		}
		return rev, "--trust-ref " + trustRef, nil
	}
	if len(rangeArgs) == 0 {
		if rangeArgs, err = s.repo.DefaultRange(); err != nil {
			return "", "", err
		}
	}
	ref := s.repo.TrustBranch()
	branch := strings.TrimPrefix(strings.TrimPrefix(ref, "refs/heads/"), "refs/remotes/")
	if ref == "" {
		return "", "", errors.New("no default branch to take trust from: name a trusted revision with --trust-ref REV")
	}
	tips, err := s.repo.RangeTips(rangeArgs)
	if err != nil {
		return "", "", err
	}
	if len(tips) == 0 {
		tips = []string{"HEAD"}
	}
	base, err := s.repo.MergeBase(ref, tips[0])
	if err != nil {
		return "", "", err
	}
	if base == "" {
		if shallow, _ := s.repo.Shallow(); shallow {
			return "", "", fmt.Errorf("this is a shallow clone, so the range's merge base with %s is not here: fetch the full history (actions/checkout with fetch-depth: 0, or git fetch --unshallow)", branch)
		}
		return "", "", fmt.Errorf("the range shares no history with %s: name a trusted revision with --trust-ref REV", branch)
	}
	// Trust must come from before the change: a "default branch" that
	// holds the range's own commits (origin/HEAD naming the branch under
	// review, say) would let the change vouch for itself.
	inside, err := s.inRange(base, rangeArgs)
	if err != nil {
		return "", "", err
	}
	if inside {
		return "", "", fmt.Errorf("%w: the merge base of the range with %s is %s, one of the commits under review; name a trusted revision outside the range with --trust-ref REV (for a branch's own history, --trust-ref %s)",
			ErrTrustInRange, branch, short(base), strings.TrimPrefix(branch, "refs/remotes/"))
	}
	return base, "merge base with " + branch, nil
}

// ErrTrustInRange is returned when the default trusted revision would be a
// commit of the range under review.
var ErrTrustInRange = errors.New("no trusted revision outside the range")

// Anchors reads the trust anchors for verifying rangeArgs.
func (s *Session) Anchors(rangeArgs []string, opts VerifyOptions) (*Anchors, error) {
	cfg, err := s.repo.Config()
	if err != nil {
		return nil, err
	}
	external := opts.AllowedSigners
	externalHow := "--allowed-signers"
	if external == "" {
		external, externalHow = expandHome(cfg.Get("gpg.ssh.allowedSignersFile")), "git config gpg.ssh.allowedSignersFile"
	}
	a := &Anchors{Verifier: &ledger.Verifier{StrictTime: opts.StrictTime}}
	var sources []string

	// The trusted revision is needed for the policy and .vouch/ files; with
	// every anchor outside the repository it may be missing (no default
	// branch), and the user's own config is the policy.
	rev, how, revErr := s.trustedRevision(rangeArgs, opts.TrustRef)
	if revErr != nil && (opts.TrustRef != "" || external == "") {
		return nil, revErr
	}
	var trusted Config
	user, err := userConfig()
	if err != nil {
		return nil, err
	}
	if revErr == nil {
		a.Rev = rev
		data, ok, err := s.repo.FileAt(rev, RepoConfigPath)
		if err != nil {
			return nil, err
		}
		if ok {
			if err := decodeConfig(RepoConfigPath+" at "+short(rev), data, &trusted); err != nil {
				return nil, err
			}
		}
		sources = append(sources, fmt.Sprintf("policy and keys from .vouch/ at %s (%s)", short(rev), how))
	} else {
		sources = append(sources, "policy from your own config only (no trusted revision: "+revErr.Error()+")")
	}
	merged := mergeConfig(user, trusted)
	a.Policy = merged.Verify
	a.Verifier.StrictTime = opts.StrictTime || merged.Verify.StrictTime
	a.NotesRef = s.ref
	if !s.refFlag {
		a.NotesRef = repo.ExpandNotesRef(merged.NotesRef)
		if merged.NotesRef == "" {
			a.NotesRef = DefaultNotesRef
		}
	}
	a.Detector, err = detectorFor(merged)
	if err != nil {
		return nil, err
	}
	if a.surfacePolicy, err = merged.Policy.Compile(); err != nil {
		return nil, fmt.Errorf("%s at %s: %w", RepoConfigPath, short(a.Rev), err)
	}
	a.scanner = surface.NewScanner(detectors(a.surfacePolicy)...)

	// Allowed signers: a file the user named, else the trusted revision's.
	switch {
	case external != "":
		if err := s.outsideWorkTree(external, externalHow); err != nil {
			return nil, err
		}
		signers, err := ledger.LoadAllowedSigners(external)
		if signers == nil && err != nil {
			return nil, err
		}
		a.Problems = append(a.Problems, signers.Problems...)
		a.Verifier.Signers, a.SignersPath = signers, external
		sources = append(sources, "allowed signers from "+external+" ("+externalHow+")")
	case a.Rev != "":
		rel := RepoAllowedSigners
		if trusted.AllowedSigners != "" {
			rel = trusted.AllowedSigners
		}
		data, ok, err := s.repo.FileAt(a.Rev, rel)
		if err != nil {
			return nil, err
		}
		if ok {
			name := short(a.Rev) + ":" + rel
			signers, err := ledger.ParseAllowedSignersNamed(name, data)
			if signers == nil && err != nil {
				return nil, err
			}
			a.Problems = append(a.Problems, signers.Problems...)
			a.Verifier.Signers, a.SignersPath = signers, name
		}
	}

	// OpenPGP keys: vouch.keyring, else the trusted revision's keys.asc.
	// Never gpg's own keyring: what it holds is not a statement of trust.
	if kp := expandHome(cfg.Get("vouch.keyring")); kp != "" {
		if err := s.outsideWorkTree(kp, "git config vouch.keyring"); err != nil {
			return nil, err
		}
		if a.Verifier.Keyring, err = ledger.LoadKeyring(kp); err != nil {
			return nil, err
		}
		sources = append(sources, "OpenPGP keys from "+kp)
	} else if a.Rev != "" {
		data, ok, err := s.repo.FileAt(a.Rev, RepoKeyring)
		if err != nil {
			return nil, err
		}
		if ok {
			if a.Verifier.Keyring, err = ledger.ParseKeyring(data); err != nil {
				return nil, fmt.Errorf("OpenPGP keyring %s at %s: %w", RepoKeyring, short(a.Rev), err)
			}
		}
	}
	if a.Verifier.Signers == nil {
		if a.Verifier.Keyring == nil {
			return nil, ErrNoAllowedSigners
		}
		// An OpenPGP-only team: no SSH key may sign.
		a.Verifier.Signers, _ = ledger.ParseAllowedSigners(nil)
	}

	// Revocations add up: the user's file and the trusted revision's.
	if rf := expandHome(cfg.Get("gpg.ssh.revocationFile")); rf != "" {
		keys, err := ledger.LoadRevoked(rf)
		if err != nil {
			return nil, err
		}
		a.Verifier.Revoked = append(a.Verifier.Revoked, keys...)
	}
	if a.Rev != "" {
		data, ok, err := s.repo.FileAt(a.Rev, RepoRevokedKeys)
		if err != nil {
			return nil, err
		}
		if ok {
			keys, err := ledger.ParseRevoked(data, short(a.Rev)+":"+RepoRevokedKeys)
			if err != nil {
				return nil, err
			}
			a.Verifier.Revoked = append(a.Verifier.Revoked, keys...)
		}
	}
	a.Source = strings.Join(sources, "; ")
	return a, nil
}

// outsideWorkTree refuses a trust file inside the work tree: its content
// may be what the change under review wrote. The git directory is not part
// of any change.
func (s *Session) outsideWorkTree(path, how string) error {
	if s.repo.Bare() {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	top := s.repo.Dir()
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	gitDir := s.repo.GitDir()
	if real, err := filepath.EvalSymlinks(gitDir); err == nil {
		gitDir = real
	}
	within := func(dir string) bool {
		rel, err := filepath.Rel(dir, abs)
		return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
	}
	if within(top) && !within(gitDir) {
		return fmt.Errorf("%s names %s, inside the work tree under review, which the change itself may have written: use a file outside the repository, or let verify read %s from a trusted revision (--trust-ref REV)", how, path, RepoAllowedSigners)
	}
	return nil
}

// touchesTrust reports whether a commit changed anything under .vouch/.
func touchesTrust(paths []string) bool {
	for _, p := range paths {
		if strings.HasPrefix(p, trustDir) {
			return true
		}
	}
	return false
}

func expandHome(p string) string {
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	return p
}
