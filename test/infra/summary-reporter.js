// Prints one plain closing line ("jest: N passed, N failed, N skipped") that any CI log reader understands.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests: passed, numFailedTests: failed, numPendingTests: skipped, numTodoTests: todo } = results;
    const suitesFailed = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\njest: ${passed} passed, ${failed + (failed === 0 && suitesFailed ? suitesFailed : 0)} failed, ${skipped + todo} skipped\n`);
  }
}
module.exports = SummaryReporter;
