package repo

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Blobs reads blobs by id with one `git cat-file --batch`. Blobs larger than
// maxSize are skipped (absent from the map), so a 50 MB file costs a read,
// not an allocation.
func (r *Repo) Blobs(ids []string, maxSize int64) (map[string][]byte, error) {
	out := map[string][]byte{}
	if len(ids) == 0 {
		return out, nil
	}
	var in bytes.Buffer
	for _, id := range ids {
		if strings.ContainsAny(id, " \n") {
			return nil, fmt.Errorf("blob id %q is not an object id", id)
		}
		in.WriteString(id)
		in.WriteByte('\n')
	}
	cmd := exec.Command("git", "cat-file", "--batch")
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), "GIT_PAGER=cat", "LC_ALL=C")
	cmd.Stdin = &in
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("git cat-file: %w", err)
	}
	br := bufio.NewReaderSize(stdout, 64<<10)
	readErr := func() error {
		for range ids {
			header, err := br.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %w", err)
			}
			fields := strings.Fields(header)
			if len(fields) == 2 && fields[1] == "missing" {
				continue
			}
			if len(fields) != 3 {
				return fmt.Errorf("git cat-file: unexpected header %q", strings.TrimSpace(header))
			}
			size, err := strconv.ParseInt(fields[2], 10, 64)
			if err != nil {
				return fmt.Errorf("git cat-file: bad size in %q", strings.TrimSpace(header))
			}
			if fields[1] != "blob" || size > maxSize {
				if _, err := io.CopyN(io.Discard, br, size+1); err != nil {
					return fmt.Errorf("git cat-file: %w", err)
				}
				continue
			}
			data := make([]byte, size+1)
			if _, err := io.ReadFull(br, data); err != nil {
				return fmt.Errorf("git cat-file: %w", err)
			}
			out[fields[0]] = data[:size]
		}
		return nil
	}()
	io.Copy(io.Discard, br)
	if err := cmd.Wait(); err != nil && readErr == nil {
		readErr = &GitError{Args: []string{"cat-file"}, Dir: r.dir, Stderr: stderr.String(), Err: err}
	}
	return out, readErr
}

// HasText reports whether any file of commit's tree contains a match for
// pattern (a fixed string, or an extended regexp when regexp is true).
func (r *Repo) HasText(commit, pattern string, regexp bool) (bool, error) {
	args := []string{"grep", "-q", "-I"}
	if regexp {
		args = append(args, "-E")
	} else {
		args = append(args, "-F")
	}
	args = append(args, "-e", pattern, commit, "--")
	_, err := r.Git(args...)
	if err == nil {
		return true, nil
	}
	var ge *GitError
	if asGitError(err, &ge) && ge.Stderr == "" {
		return false, nil // exit 1: no match
	}
	return false, err
}

func asGitError(err error, target **GitError) bool {
	ge, ok := err.(*GitError)
	if ok {
		*target = ge
	}
	return ok
}
