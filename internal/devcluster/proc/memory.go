package proc

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Status is what /proc/<pid>/status says of a process's name and memory.
type Status struct {
	Pid  int
	Name string // the kernel's name: the command, cut at 15 bytes
	RSS  uint64 // resident set size, bytes
}

// ReadStatus reads /proc/<pid>/status. A kernel thread has no RSS line
// and reads as 0.
func ReadStatus(pid int) (Status, error) {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return Status{}, fmt.Errorf("status of process %d: %w", pid, err)
	}
	s := Status{Pid: pid}
	lines := bufio.NewScanner(bytes.NewReader(data))
	for lines.Scan() {
		key, value, _ := strings.Cut(lines.Text(), ":")
		value = strings.TrimSpace(value)
		switch key {
		case "Name":
			s.Name = value
		case "VmRSS":
			kib, err := strconv.ParseUint(strings.TrimSuffix(value, " kB"), 10, 64)
			if err != nil {
				return Status{}, fmt.Errorf("VmRSS of process %d: %q: %w", pid, value, err)
			}
			s.RSS = kib * 1024
		}
	}
	return s, nil
}

// Processes lists every process on the host, with its status; processes
// that end while being read are left out.
func Processes() ([]Status, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	var out []Status
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if s, err := ReadStatus(pid); err == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// RSS sums the resident set sizes of processes.
func RSS(processes []*Process) (uint64, error) {
	var sum uint64
	for _, p := range processes {
		s, err := ReadStatus(p.Pid())
		if err != nil {
			return 0, fmt.Errorf("%s: %w", p.Name, err)
		}
		sum += s.RSS
	}
	return sum, nil
}
