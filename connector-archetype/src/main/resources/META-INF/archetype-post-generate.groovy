// Archetypes keep no file modes: the generated Maven wrapper is made executable here.
def wrapper = new File(request.outputDirectory, request.artifactId + '/mvnw')
if (wrapper.isFile()) {
    wrapper.setExecutable(true, false)
}
