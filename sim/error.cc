#include "sim/error.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace yangbot {

std::string FormatFileError(std::string_view file, int line, int column, std::string_view message,
                            std::string_view severity) {
  std::ostringstream out;
  out << file << ":" << line << ":" << column << ": " << severity << ": " << message;
  return out.str();
}

std::string ReadFileOrThrow(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": error: cannot read file: " + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

namespace {

void (*before_rename_hook)(const std::string&) = nullptr;

// A temporary file next to `target` (same file system, so rename is atomic); returns its
// open descriptor and sets `temp` to its path.
int MakeTemporary(const std::filesystem::path& target, const std::string& suffix,
                  std::string* temp) {
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  *temp = (folder / ("." + target.filename().string() + suffix + ".XXXXXX")).string();
  return mkstemp(temp->data());
}

// Makes a completed rename durable (ignored where the file system cannot sync folders).
void SyncFolder(const std::filesystem::path& target) {
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void SetBeforeRenameHookForTesting(void (*hook)(const std::string& temp_path)) {
  before_rename_hook = hook;
}

void WriteFileAtomic(const std::string& path, std::string_view contents, bool keep_backup) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  std::string temp;
  const int fd = MakeTemporary(target, "", &temp);
  if (fd < 0) throw Error(path + ": error: cannot create temporary file: " + std::strerror(errno));
  // mkstemp creates 0600; give the file the usual permissions (0666 less the umask), or
  // keep those of the file it replaces.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat existing;
  const bool exists = ::stat(path.c_str(), &existing) == 0;
  const mode_t mode = exists ? (existing.st_mode & 07777) : (0666 & ~mask);
  ::fchmod(fd, mode);
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error(path + ": error: " + what + ": " + reason + " (the file was not changed)");
  };
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int error = errno;
      ::close(fd);
      errno = error;
      fail("write failed");
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    fail("flush failed");
  }
  if (::close(fd) != 0) fail("flush failed");
  if (keep_backup && exists) {
    // The backup is a flushed copy renamed into place, so an old backup is never half
    // overwritten either; it exists before the new file replaces the old one.
    std::string backup_temp;
    const int backup_fd = MakeTemporary(target, ".bak", &backup_temp);
    if (backup_fd < 0) fail("cannot keep a backup");
    std::error_code ec;
    fs::copy_file(target, backup_temp, fs::copy_options::overwrite_existing, ec);
    const bool synced = !ec && ::fsync(backup_fd) == 0;
    ::close(backup_fd);
    if (!synced || std::rename(backup_temp.c_str(), (path + ".bak").c_str()) != 0) {
      if (ec) errno = ec.value();
      ::unlink(backup_temp.c_str());
      fail("cannot keep a backup as " + path + ".bak");
    }
  }
  if (before_rename_hook) {
    try {
      before_rename_hook(temp);
    } catch (...) {
      ::unlink(temp.c_str());
      throw;
    }
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) fail("rename failed");
  SyncFolder(target);
}

std::string OutOfRangeMessage(const std::string& key, const std::string& value, double lo, double hi) {
  char range[64];
  std::snprintf(range, sizeof(range), "%g to %g", lo, hi);
  return key + " " + value + " is out of range (" + range + ")";
}

}  // namespace yangbot
