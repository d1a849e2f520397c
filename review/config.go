package review

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pelletier/go-toml/v2"

	"github.com/vouch-review/vouch/review/authorship"
	"github.com/vouch-review/vouch/review/repo"
	"github.com/vouch-review/vouch/review/surface"
)

// DefaultNotesRef is where decisions are recorded unless config or --ref says otherwise.
const DefaultNotesRef = "refs/notes/vouch"

// RepoConfigPath is the repository's own config, committed and reviewed like code.
const RepoConfigPath = ".vouch/config.toml"

// Config is vouch's configuration: the repository's .vouch/config.toml laid
// over the user's $XDG_CONFIG_HOME/vouch/config.toml.
type Config struct {
	NotesRef       string          `toml:"notes_ref"`
	AllowedSigners string          `toml:"allowed_signers"`
	Markers        []MarkerConfig  `toml:"markers"`
	Policy         surface.Policy  `toml:"policy"`
	Checklists     ChecklistConfig `toml:"checklists"`
	Verify         VerifyConfig    `toml:"verify"`
}

// VerifyConfig is the policy `vouch verify` applies; flags add to it.
type VerifyConfig struct {
	RequireComplete bool `toml:"require_complete"`
	MinReviewers    int  `toml:"min_reviewers"`
	NotAuthor       bool `toml:"not_author"`
	RequirePresence bool `toml:"require_presence"`
	AllowCarryOver  bool `toml:"allow_carry_over"`
	StrictTime      bool `toml:"strict_time"`
	SignedTrail     bool `toml:"signed_trail"`
	// Rules add requirements for commits that touch some paths or have
	// findings of some categories.
	Rules []VerifyRule `toml:"rules"`
}

// VerifyRule is one [[verify.rules]] entry: it applies to a commit that
// changes a path matching one of Paths or has a finding in one of
// Categories, and adds its requirements to the [verify] policy.
type VerifyRule struct {
	Name            string   `toml:"name"`
	Paths           []string `toml:"paths"`
	Categories      []string `toml:"categories"`
	MinReviewers    int      `toml:"min_reviewers"`
	RequireComplete bool     `toml:"require_complete"`
	NotAuthor       bool     `toml:"not_author"`
	RequirePresence bool     `toml:"require_presence"`
}

// ChecklistConfig chooses the checklists in force.
type ChecklistConfig struct {
	Disable         []string `toml:"disable"`          // built-in ids to drop
	RequireComplete bool     `toml:"require_complete"` // accept only with every item ticked
}

// MarkerConfig is an organisation's own AI marker; exactly one match field is set.
type MarkerConfig struct {
	Assistant string `toml:"assistant"`
	Email     string `toml:"email"`
	Name      string `toml:"name"`
	Trailer   string `toml:"trailer"`
	Message   string `toml:"message"`
}

func (m MarkerConfig) marker() authorship.Marker {
	return authorship.Marker{Assistant: m.Assistant, Email: m.Email, Name: m.Name, Trailer: m.Trailer, Message: m.Message}
}

// LoadConfig reads the user's config, then the repository's (its values win;
// markers add up). In a bare repository the committed file at HEAD is read.
func LoadConfig(r *repo.Repo) (Config, error) {
	user, err := userConfig()
	if err != nil {
		return user, err
	}
	data, err := repoConfig(r)
	if err != nil {
		return user, err
	}
	var local Config
	if data != nil {
		if err := decodeConfig(RepoConfigPath, data, &local); err != nil {
			return user, err
		}
	}
	return mergeConfig(user, local), nil
}

// userConfig is $XDG_CONFIG_HOME/vouch/config.toml; a missing file is empty.
func userConfig() (Config, error) {
	var cfg Config
	path := userConfigPath()
	if path == "" {
		return cfg, nil
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return cfg, nil
	}
	if err != nil {
		return cfg, fmt.Errorf("read %s: %w", path, err)
	}
	return cfg, decodeConfig(path, data, &cfg)
}

// mergeConfig lays a repository's config over the user's.
func mergeConfig(cfg, local Config) Config {
	if local.NotesRef != "" {
		cfg.NotesRef = local.NotesRef
	}
	if local.AllowedSigners != "" {
		cfg.AllowedSigners = local.AllowedSigners
	}
	cfg.Markers = append(append([]MarkerConfig{}, cfg.Markers...), local.Markers...)
	cfg.Policy = mergePolicy(cfg.Policy, local.Policy)
	cfg.Checklists.Disable = append(append([]string{}, cfg.Checklists.Disable...), local.Checklists.Disable...)
	cfg.Checklists.RequireComplete = cfg.Checklists.RequireComplete || local.Checklists.RequireComplete
	// The repository's verify policy can only tighten the user's.
	v := &cfg.Verify
	v.RequireComplete = v.RequireComplete || local.Verify.RequireComplete
	v.MinReviewers = max(v.MinReviewers, local.Verify.MinReviewers)
	v.NotAuthor = v.NotAuthor || local.Verify.NotAuthor
	v.RequirePresence = v.RequirePresence || local.Verify.RequirePresence
	v.StrictTime = v.StrictTime || local.Verify.StrictTime
	v.SignedTrail = v.SignedTrail || local.Verify.SignedTrail
	v.AllowCarryOver = v.AllowCarryOver || local.Verify.AllowCarryOver
	v.Rules = append(append([]VerifyRule{}, v.Rules...), local.Verify.Rules...)
	return cfg
}

func repoConfig(r *repo.Repo) ([]byte, error) {
	if !r.Bare() {
		data, err := os.ReadFile(filepath.Join(r.Dir(), RepoConfigPath))
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", RepoConfigPath, err)
		}
		return data, nil
	}
	out, err := r.Git("cat-file", "blob", "HEAD:"+RepoConfigPath)
	if err != nil {
		return nil, nil // no HEAD or no config committed
	}
	return out, nil
}

func userConfigPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "vouch", "config.toml")
}

func decodeConfig(name string, data []byte, cfg *Config) error {
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(cfg); err != nil {
		var derr *toml.DecodeError
		if errors.As(err, &derr) {
			row, col := derr.Position()
			return fmt.Errorf("%s:%d:%d: %s", name, row, col, derr.Error())
		}
		var serr *toml.StrictMissingError
		if errors.As(err, &serr) && len(serr.Errors) > 0 {
			row, _ := serr.Errors[0].Position()
			return fmt.Errorf("%s:%d: unknown key %q", name, row, joinKey(serr.Errors[0].Key()))
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

func joinKey(k []string) string {
	s := ""
	for i, p := range k {
		if i > 0 {
			s += "."
		}
		s += p
	}
	return s
}

// mergePolicy lays the repository's policy over the user's: lists add up,
// rule overrides of the repository win.
func mergePolicy(user, local surface.Policy) surface.Policy {
	out := surface.Policy{
		DeniedPackages: append(append([]string{}, user.DeniedPackages...), local.DeniedPackages...),
		DeniedImports:  append(append([]string{}, user.DeniedImports...), local.DeniedImports...),
		Paths:          append(append([]surface.PathRule{}, user.Paths...), local.Paths...),
		Custom:         append(append([]surface.CustomRule{}, user.Custom...), local.Custom...),
		Rules:          map[string]string{},
	}
	for k, v := range user.Rules {
		out.Rules[k] = v
	}
	for k, v := range local.Rules {
		out.Rules[k] = v
	}
	return out
}
