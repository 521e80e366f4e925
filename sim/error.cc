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

void WriteFileAtomic(const std::string& path, std::string_view contents, bool keep_backup) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string temp = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
  const int fd = mkstemp(temp.data());
  if (fd < 0) throw Error(path + ": error: cannot create temporary file: " + std::strerror(errno));
  // mkstemp creates 0600; give the file the usual permissions (0666 less the umask), or
  // keep those of the file it replaces.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  struct stat existing;
  const mode_t mode = ::stat(path.c_str(), &existing) == 0 ? (existing.st_mode & 07777) : (0666 & ~mask);
  ::fchmod(fd, mode);
  size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temp.c_str());
      throw Error(path + ": error: write failed: " + reason);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error(path + ": error: flush failed: " + reason);
  }
  std::error_code ec;
  if (keep_backup && fs::exists(target, ec)) {
    fs::copy_file(target, path + ".bak", fs::copy_options::overwrite_existing, ec);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    throw Error(path + ": error: rename failed: " + reason);
  }
}

}  // namespace yangbot
